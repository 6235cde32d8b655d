"""DUMP and RESTORE against real Redis: payload bytes, cross-server
RESTORE of every type and encoding, the old RDB encodings built by hand,
and every RESTORE option and error."""
import random
import struct

import pytest

from support import rdbpayload as R
from support.resp import Error, parse
from support.servers import ours_kind


def dumps(pair, key):
    a, b = pair.both("DUMP", key)
    return parse(a), parse(b)


# --- value builders: (name, commands, read command, payload bytes comparable)

def _rnd_bytes(seed, n, alphabet=b"abcdefgh"):
    rnd = random.Random(seed)
    return bytes(rnd.choice(alphabet) for _ in range(n))


CASES = [
    ("int_small", [("SET", "k", "7")], ("GET",), True),
    ("int_16", [("SET", "k", "-30000")], ("GET",), True),
    ("int_32", [("SET", "k", "2000000000")], ("GET",), True),
    ("int_64", [("SET", "k", "9000000000000")], ("GET",), True),
    ("int_text_leading_zero", [("SET", "k", "007")], ("GET",), True),
    ("embstr", [("SET", "k", "hello")], ("GET",), True),
    ("embstr_empty", [("SET", "k", "")], ("GET",), True),
    ("raw_incompressible", [("SET", "k", bytes(range(256)))], ("GET",), True),
    ("raw_compressible", [("SET", "k", b"abc" * 100)], ("GET",), True),
    ("compressible_21", [("SET", "k", b"a" * 21)], ("GET",), True),
    ("compressible_20", [("SET", "k", b"a" * 20)], ("GET",), True),
    ("random_text_1000", [("SET", "k", _rnd_bytes(1, 1000))], ("GET",), True),
    ("append_raw", [("SET", "k", "x"), ("APPEND", "k", "yz" * 30)], ("GET",), True),
    ("list_small", [("RPUSH", "k", "a", "1", "-5", "x" * 100)], ("LRANGE", 0, -1), True),
    ("list_many_nodes", [("RPUSH", "k", *[("v%d" % i) * 20 for i in range(2000)])],
     ("LRANGE", 0, -1), True),
    ("list_ints", [("RPUSH", "k", *range(-500, 500))], ("LRANGE", 0, -1), True),
    ("intset_16", [("SADD", "k", "1", "-2", "300")], ("SMEMBERS",), True),
    ("intset_32", [("SADD", "k", "1", "100000")], ("SMEMBERS",), True),
    ("intset_64", [("SADD", "k", "1", "10000000000")], ("SMEMBERS",), True),
    ("set_ht", [("SADD", "k", "a", "b", "c")], ("SMEMBERS",), False),
    ("set_ht_big", [("SADD", "k", *range(1000))], ("SMEMBERS",), False),
    ("zset_listpack", [("ZADD", "k", "1", "a", "2.5", "b", "-inf", "c", "1e300", "d")],
     ("ZRANGE", 0, -1, "WITHSCORES"), True),
    ("zset_skiplist", [("ZADD", "k", *[x for i in range(300) for x in (str(i * 0.5), "m%d" % i)])],
     ("ZRANGE", 0, -1, "WITHSCORES"), True),
    ("zset_skiplist_inf", [("ZADD", "k", "inf", "top", "-inf", "bottom", "0", "x" * 100)],
     ("ZRANGE", 0, -1, "WITHSCORES"), True),
    ("hash_listpack", [("HSET", "k", "f", "v", "n", "12", "big", "y" * 40)], ("HGETALL",), True),
    ("hash_ht", [("HSET", "k", "f", "v" * 100)], ("HGETALL",), False),
    ("hash_ht_big", [("HSET", "k", *[x for i in range(600) for x in ("f%d" % i, i)])],
     ("HGETALL",), False),
]


def _build(pair, cmds):
    for c in cmds:
        pair.check(*c)


def _compare_value(pair, key, read):
    if read[0] in ("SMEMBERS", "HGETALL"):
        pair.check_unordered(read[0], key, *read[1:])
    else:
        pair.check(read[0], key, *read[1:])
    pair.check("OBJECT", "ENCODING", key)
    pair.check("TYPE", key)


@pytest.mark.parametrize("name,cmds,read,exact", CASES, ids=[c[0] for c in CASES])
def test_dump_payload(pair, name, cmds, read, exact):
    _build(pair, cmds)
    pair.check("OBJECT", "ENCODING", "k")
    real, ours = dumps(pair, "k")
    if exact:
        assert ours == real
    else:
        assert len(ours) == len(real) and ours[0] == real[0]


@pytest.mark.parametrize("name,cmds,read,exact", CASES, ids=[c[0] for c in CASES])
def test_restore_each_others_payload(pair, name, cmds, read, exact):
    _build(pair, cmds)
    real, ours = dumps(pair, "k")
    for p in (real, ours):
        pair.check("RESTORE", "r", "0", p, "REPLACE")
        _compare_value(pair, "r", read)
        if exact:
            again = dumps(pair, "r")
            assert again[0] == again[1] == real


def test_dump_missing_key_is_nil(pair):
    pair.check("DUMP", "nokey")


def test_dump_with_rdbcompression_off(pair, config):
    config("rdbcompression", "no")
    pair.check("SET", "k", "a" * 100)
    pair.check("DUMP", "k")


def test_quicklist_with_small_fill_dumps_each_node(pair, config):
    config("list-max-listpack-size", "3")
    pair.check("RPUSH", "k", *range(20))
    real, ours = dumps(pair, "k")
    assert ours == real
    config("list-max-listpack-size", "-2")
    pair.check("RESTORE", "r", "0", real)
    pair.check("LRANGE", "r", 0, -1)
    assert dumps(pair, "r")[1] == real       # the saved node layout is kept


# --- loading chooses the encoding Redis chooses ----------------------------------

def test_small_zset_skiplist_payload_loads_as_listpack(pair, config):
    config("zset-max-listpack-entries", "2")
    pair.check("ZADD", "k", "1", "a", "2", "b", "3", "c")
    real, _ = dumps(pair, "k")
    config("zset-max-listpack-entries", "128")
    pair.check("RESTORE", "r", "0", real)
    _compare_value(pair, "r", ("ZRANGE", 0, -1, "WITHSCORES"))


def test_listpack_payload_over_the_limits_converts(pair, config):
    pair.check("HSET", "h", *[x for i in range(20) for x in ("f%d" % i, i)])
    pair.check("ZADD", "z", *[x for i in range(20) for x in (i, "m%d" % i)])
    pair.check("SADD", "s", *range(20))
    ph, pz, ps = (dumps(pair, k)[0] for k in ("h", "z", "s"))
    config("hash-max-listpack-entries", "5")
    config("zset-max-listpack-entries", "5")
    config("set-max-intset-entries", "5")
    for key, p, read in (("h", ph, ("HGETALL",)), ("z", pz, ("ZRANGE", 0, -1)), ("s", ps, ("SMEMBERS",))):
        pair.check("RESTORE", key + "2", "0", p)
        _compare_value(pair, key + "2", read)


def test_hash_ht_payload_small_enough_loads_as_listpack(pair):
    pair.check("HSET", "k", "f", "v" * 100)
    pair.check("HDEL", "k", "f")
    pair.check("HSET", "k", "a", "1", "b", "2")     # hashtable with short values
    real, ours = dumps(pair, "k")
    for p in (real, ours):
        pair.check("RESTORE", "r", "0", p, "REPLACE")
        _compare_value(pair, "r", ("HGETALL",))


# --- the old encodings, built by hand ----------------------------------------------

def restore_both(pair, body, key="r", read=None, version=10):
    reply = pair.check("RESTORE", key, "0", R.payload(body, version), "REPLACE")
    if read is not None and not isinstance(parse(reply), Error):
        _compare_value(pair, key, read)
    return reply


OLD = [
    ("list_type_1", bytes([1]) + R.length(3) + R.string("a") + R.int_string(5) + R.string("x" * 70),
     ("LRANGE", 0, -1)),
    ("set_type_2_ints", bytes([2]) + R.length(3) + R.string("3") + R.int_string(-1) + R.string("10"),
     ("SMEMBERS",)),
    ("set_type_2_strings", bytes([2]) + R.length(2) + R.string("1") + R.string("b"), ("SMEMBERS",)),
    ("set_type_2_many", bytes([2]) + R.length(600) + b"".join(R.int_string(i) for i in range(600)),
     ("SMEMBERS",)),
    ("zset_type_3", bytes([3]) + R.length(3) + R.string("a") + R.old_double(1.5) + R.string("b")
     + R.old_double(float("inf")) + R.string("c") + R.old_double(-2.0), ("ZRANGE", 0, -1, "WITHSCORES")),
    ("hash_type_4", bytes([4]) + R.length(2) + R.string("f") + R.string("v") + R.string("g")
     + R.int_string(12), ("HGETALL",)),
    ("hash_type_4_long_value", bytes([4]) + R.length(2) + R.string("f") + R.string("v")
     + R.string("g") + R.string("z" * 100), ("HGETALL",)),
    ("zset_2_small", bytes([5]) + R.length(2) + R.string("b") + struct.pack("<d", 2.0)
     + R.string("a") + struct.pack("<d", -0.5), ("ZRANGE", 0, -1, "WITHSCORES")),
    ("zipmap", bytes([9]) + R.string(R.zipmap([("f", "v"), ("a", "12")])), ("HGETALL",)),
    ("zipmap_long_value", bytes([9]) + R.string(R.zipmap([("f", "v" * 100)])), ("HGETALL",)),
    ("list_ziplist", bytes([10]) + R.string(R.ziplist([b"a", 1, -200, 70000, 2 ** 40, b"x" * 300])),
     ("LRANGE", 0, -1)),
    ("intset_16", bytes([11]) + R.string(R.intset([-5, 1, 300], 2)), ("SMEMBERS",)),
    ("intset_32", bytes([11]) + R.string(R.intset([1, 100000], 4)), ("SMEMBERS",)),
    ("intset_64", bytes([11]) + R.string(R.intset([1, 2 ** 40], 8)), ("SMEMBERS",)),
    ("intset_wider_than_needed", bytes([11]) + R.string(R.intset([1, 2], 8)), ("SMEMBERS",)),
    ("zset_ziplist", bytes([12]) + R.string(R.ziplist([b"a", 1, b"b", b"2.5"])),
     ("ZRANGE", 0, -1, "WITHSCORES")),
    ("hash_ziplist", bytes([13]) + R.string(R.ziplist([b"f", b"v", b"n", 5])), ("HGETALL",)),
    ("quicklist_v1", bytes([14]) + R.length(2) + R.string(R.ziplist([b"a", b"b"]))
     + R.string(R.ziplist([3, b"c"])), ("LRANGE", 0, -1)),
    ("quicklist_v2_plain_node", bytes([18]) + R.length(1) + R.length(1) + R.string("bare"),
     ("LRANGE", 0, -1)),
    ("hash_listpack_handmade", bytes([16]) + R.string(R.listpack([b"f", b"v", b"g", 7])),
     ("HGETALL",)),
    ("zset_listpack_handmade", bytes([17]) + R.string(R.listpack([b"m", 1, b"n", b"2.5"])),
     ("ZRANGE", 0, -1, "WITHSCORES")),
    ("lzf_string", bytes([0]) + b"\xc3" + R.length(9) + R.length(30)
     + bytes.fromhex("016161e01100016161"), ("GET",)),
    ("payload_version_9", None, ("GET",)),
]


@pytest.mark.parametrize("name,body,read", OLD, ids=[o[0] for o in OLD])
def test_old_encodings_load_as_in_redis(pair, name, body, read):
    if body is None:
        assert parse(restore_both(pair, b"\x00" + R.string("v9"), read=read, version=9)) == b"OK"
        return
    assert parse(restore_both(pair, body, read=read)) == b"OK"


BAD = [
    ("empty_list", bytes([1]) + R.length(0)),
    ("empty_set", bytes([2]) + R.length(0)),
    ("empty_zset", bytes([5]) + R.length(0)),
    ("empty_hash", bytes([4]) + R.length(0)),
    ("empty_quicklist", bytes([18]) + R.length(0)),
    ("quicklist_only_empty_nodes", bytes([18]) + R.length(1) + R.length(2) + R.string(R.listpack([]))),
    ("quicklist_bad_container", bytes([18]) + R.length(1) + R.length(3) + R.string(R.listpack([b"a"]))),
    ("dup_set_members", bytes([2]) + R.length(2) + R.string("a") + R.string("a")),
    ("dup_intset_members", bytes([2]) + R.length(2) + R.string("1") + R.int_string(1)),
    ("dup_zset_members", bytes([5]) + R.length(2) + R.string("a") + struct.pack("<d", 1)
     + R.string("a") + struct.pack("<d", 2)),
    ("nan_score", bytes([5]) + R.length(1) + R.string("a") + struct.pack("<d", float("nan"))),
    ("nan_old_score", bytes([3]) + R.length(1) + R.string("a") + R.old_double(float("nan"))),
    ("dup_zipmap_fields", bytes([9]) + R.string(R.zipmap([("f", "1"), ("f", "2")]))),
    ("dup_hash_ziplist", bytes([13]) + R.string(R.ziplist([b"f", b"1", b"f", b"2"]))),
    ("odd_hash_ziplist", bytes([13]) + R.string(R.ziplist([b"f", b"1", b"g"]))),
    ("empty_hash_ziplist", bytes([13]) + R.string(R.ziplist([]))),
    ("empty_list_ziplist", bytes([10]) + R.string(R.ziplist([]))),
    ("empty_intset", bytes([11]) + R.string(R.intset([], 2))),
    ("bad_intset_width", bytes([11]) + R.string(struct.pack("<II", 3, 1) + b"\x01\x00\x00")),
    ("truncated_string", bytes([0]) + R.length(30) + b"abc"),
    ("string_reaching_into_the_footer_only", None),
    ("unknown_type", bytes([8]) + R.string("x")),
    ("stream_type", bytes([15]) + R.length(0)),
    ("bad_string_encoding", bytes([0]) + b"\xc4"),
    ("lzf_bad_stream", bytes([0]) + b"\xc3" + R.length(3) + R.length(30) + b"\x1fab"),
    ("lzf_length_mismatch", bytes([0]) + b"\xc3" + R.length(9) + R.length(31)
     + bytes.fromhex("016161e01100016161")),
]


BAD = [b for b in BAD if b[1] is not None]


@pytest.mark.parametrize("name,body", BAD, ids=[b[0] for b in BAD])
def test_damaged_or_empty_payloads_rejected(pair, name, body):
    assert parse(restore_both(pair, body)) == Error(b"ERR Bad data format")
    pair.check("EXISTS", "r")


def test_value_may_run_into_the_footer(pair):
    # the loader reads from the whole payload, footer included, as Redis's
    assert parse(restore_both(pair, bytes([0]) + R.length(10) + b"abc", read=("GET",))) == b"OK"


# Structures Redis checks only under sanitize-dump-payload yes (without it,
# it loads them and may crash later): with sanitization both servers refuse
# them; pyredis always does.
UNSANITIZED = [
    ("dup_hash_fields", bytes([4]) + R.length(2) + R.string("f") + R.string("1") + R.string("f")
     + R.string("2")),
    ("dup_hash_listpack", bytes([16]) + R.string(R.listpack([b"f", 1, b"f", 2]))),
    ("dup_zset_listpack", bytes([17]) + R.string(R.listpack([b"f", 1, b"f", 2]))),
    ("odd_hash_listpack", bytes([16]) + R.string(R.listpack([b"f", 1, b"g"]))),
    ("unsorted_intset", bytes([11]) + R.string(R.intset([5, 1], 2))),
    ("damaged_listpack_entry", bytes([18]) + R.length(1) + R.length(2)
     + R.string(R.listpack([b"abc"])[:10] + b"\x05\xff")),     # wrong backlen
]


@pytest.mark.parametrize("name,body", UNSANITIZED, ids=[u[0] for u in UNSANITIZED])
def test_rejected_by_both_with_sanitization(pair, config, name, body):
    config("sanitize-dump-payload", "yes")
    assert parse(restore_both(pair, body)) == Error(b"ERR Bad data format")
    info = parse(pair.ours.call("INFO", "stats"))
    assert b"dump_payload_sanitizations:" in info


@pytest.mark.parametrize("name,body", UNSANITIZED, ids=[u[0] for u in UNSANITIZED])
def test_always_rejected_by_pyredis(pair, name, body):
    if ours_kind() != "pyredis":
        pytest.skip("a pyredis-only guarantee (Redis needs sanitize-dump-payload yes)")
    reply = pair.ours.call("RESTORE", "r", "0", R.payload(body))
    assert parse(reply) == Error(b"ERR Bad data format")
    assert parse(pair.ours.call("EXISTS", "r")) == 0


# --- scores in a hand-made listpack ------------------------------------------------
#
# Redis reads a listpack score with plain strtod over at most 127 bytes and
# checks nothing at RESTORE, sanitized or not: a numeric prefix is the score.

ODD_SCORES = [b"2>5", b" 3", b"\t7", b"+4", b".5", b"2.5e", b"0x10", b"1e400", b"-1e400",
              b"abc", b"", b"5\x007", b"1" * 200, b"-infinity"]


def _zset_listpack(*pairs):
    return bytes([17]) + R.string(R.listpack([x for p in pairs for x in p]))


@pytest.mark.parametrize("score", ODD_SCORES, ids=[repr(s)[2:-1] for s in ODD_SCORES])
def test_listpack_score_text_reads_as_its_numeric_prefix(pair, config, score):
    config("sanitize-dump-payload", "no")
    assert parse(restore_both(pair, _zset_listpack((b"m", score), (b"n", 1)))) == b"OK"
    pair.check("ZSCORE", "r", "m")
    pair.check("ZRANGE", "r", "0", "-1", "WITHSCORES")
    pair.check("ZRANGEBYSCORE", "r", "1", "3", "WITHSCORES")
    pair.check("ZREVRANGEBYSCORE", "r", "+inf", "(1", "WITHSCORES")
    pair.check("ZCOUNT", "r", "(0", "10")
    pair.check("ZRANK", "r", "m")
    pair.check("ZINCRBY", "r", "1", "m")
    pair.check("ZRANGE", "r", "0", "-1", "WITHSCORES")


@pytest.mark.parametrize("score", ODD_SCORES, ids=[repr(s)[2:-1] for s in ODD_SCORES])
def test_listpack_score_text_survives_conversion(pair, config, score):
    # the skiplist gets the score the listpack read gave
    config("zset-max-listpack-entries", "2")
    assert parse(restore_both(pair, _zset_listpack((b"m", score), (b"n", 1)))) == b"OK"
    pair.check("ZADD", "r", "2", "o")
    pair.check("OBJECT", "ENCODING", "r")
    pair.check("ZRANGE", "r", "0", "-1", "WITHSCORES")
    pair.check("ZSCORE", "r", "m")


def test_listpack_nan_score_and_score_ranges(pair, config):
    # strtod reads "nan" as NaN; Redis's range walk on a listpack first
    # tests the last score against min and the first against max, then
    # skips LIMIT offsets unchecked (it would assert converting NaN to a
    # skiplist, so that is not done here)
    config("sanitize-dump-payload", "no")
    for head in ([(b"a", b"nan"), (b"b", 1), (b"c", 2)], [(b"a", 1), (b"b", b"nan"), (b"c", 2)],
                 [(b"a", 1), (b"b", 2), (b"c", b"-nan")]):
        assert parse(restore_both(pair, _zset_listpack(*head))) == b"OK"
        pair.check("ZRANGE", "r", "0", "-1", "WITHSCORES")
        pair.check("ZSCORE", "r", "b")
        for lo, hi in (("-inf", "+inf"), ("1", "2"), ("(1", "+inf"), ("-inf", "1")):
            pair.check("ZCOUNT", "r", lo, hi)
            pair.check("ZRANGEBYSCORE", "r", lo, hi, "WITHSCORES")
            pair.check("ZRANGEBYSCORE", "r", lo, hi, "LIMIT", "1", "5")
            pair.check("ZREVRANGEBYSCORE", "r", hi, lo, "LIMIT", "1", "5")
        pair.check("ZINCRBY", "r", "1", "b")
        pair.check("ZREMRANGEBYSCORE", "r", "-inf", "+inf")
        pair.check("ZRANGE", "r", "0", "-1", "WITHSCORES")


# --- RESTORE options and errors ----------------------------------------------------

@pytest.fixture
def payload(pair):
    pair.check("SET", "src", "value")
    return dumps(pair, "src")[0]


def test_restore_into_existing_key_is_busykey(pair, payload):
    pair.check("SET", "k", "x")
    pair.check("RESTORE", "k", "0", payload)
    pair.check("GET", "k")


def test_restore_replace_overwrites(pair, payload):
    pair.check("RPUSH", "k", "x")
    pair.check("RESTORE", "k", "0", payload, "REPLACE")
    pair.check("GET", "k")
    pair.check("TYPE", "k")


def test_restore_with_ttl(pair, payload):
    pair.check("RESTORE", "k", "100000", payload)
    pair.check("TTL", "k")


def test_restore_absttl(pair, payload):
    pair.check("RESTORE", "k", "99999999999999", payload, "ABSTTL")
    pair.check("EXPIRETIME", "k")


def test_restore_absttl_in_the_past_does_not_create(pair, payload):
    pair.check("RESTORE", "k", "1", payload, "ABSTTL")
    pair.check("EXISTS", "k")


def test_restore_replace_with_past_absttl_deletes(pair, payload):
    pair.check("SET", "k", "old")
    pair.check("RESTORE", "k", "1", payload, "ABSTTL", "REPLACE")
    pair.check("EXISTS", "k")


def test_restore_replace_drops_old_ttl(pair, payload):
    pair.check("SET", "k", "old", "EX", "100")
    pair.check("RESTORE", "k", "0", payload, "REPLACE")
    pair.check("TTL", "k")


def test_restore_idletime_sets_idle_time(pair, payload):
    pair.check("RESTORE", "k", "0", payload, "IDLETIME", "1000")
    pair.check("OBJECT", "IDLETIME", "k")


def test_restore_freq_accepted_under_lru(pair, payload):
    pair.check("RESTORE", "k", "0", payload, "FREQ", "100")
    pair.check("GET", "k")


@pytest.mark.parametrize("args", [
    ("k", "-1"), ("k", "abc"), ("k", "1.5"),
])
def test_restore_bad_ttl(pair, payload, args):
    pair.check("RESTORE", args[0], args[1], payload)


@pytest.mark.parametrize("opts", [
    ("IDLETIME", "-1"), ("IDLETIME", "x"), ("FREQ", "256"), ("FREQ", "-1"), ("FREQ", "x"),
    ("IDLETIME",), ("FREQ",), ("BOGUS",), ("IDLETIME", "5", "FREQ", "5"),
    ("FREQ", "5", "IDLETIME", "5"), ("REPLACE", "REPLACE", "ABSTTL", "absttl"),
])
def test_restore_option_errors(pair, payload, opts):
    pair.check("RESTORE", "k", "0", payload, *opts)
    pair.check("EXISTS", "k")


def test_options_are_parsed_before_the_busykey_check(pair, payload):
    pair.check("SET", "k", "x")
    pair.check("RESTORE", "k", "0", payload, "BOGUS")
    pair.check("RESTORE", "k", "abc", payload)


@pytest.mark.parametrize("mutate", [
    lambda p: p[:-1] + bytes([p[-1] ^ 1]),      # checksum
    lambda p: p[:-10] + b"\x0b\x00" + p[-8:],    # newer version, checksum not updated
    lambda p: p[:5],                             # shorter than the footer
    lambda p: b"",
    lambda p: b"\x00" + p[1:-8] + b"\x00" * 8,   # zero checksum is not "skip"
])
def test_restore_footer_errors(pair, payload, mutate):
    pair.check("RESTORE", "k", "0", mutate(payload))


def test_restore_newer_version_with_valid_checksum(pair):
    pair.check("RESTORE", "k", "0", R.payload(b"\x00" + R.string("x"), version=11))


def test_restore_arity(pair, payload):
    pair.check("RESTORE", "k", "0")
    pair.check("DUMP")
    pair.check("DUMP", "a", "b")


def test_restore_wakes_blocked_list_pop(pair):
    pair.check("RPUSH", "src", "a", "b")
    p = dumps(pair, "src")[0]
    other = pair.connect()
    try:
        for conn in (other.real, other.ours):
            conn.send_raw(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n")
        import time
        time.sleep(0.2)
        pair.check("RESTORE", "q", "0", p)
        a, b = other.real.read_reply(), other.ours.read_reply()
        assert a == b
    finally:
        other.close()
    pair.check("LRANGE", "q", 0, -1)


def test_command_info_and_docs(pair):
    pair.check("COMMAND", "INFO", "dump", "restore")
    pair.check("COMMAND", "DOCS", "dump")
    pair.check("COMMAND", "DOCS", "restore")
