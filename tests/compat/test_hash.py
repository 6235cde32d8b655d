"""Differential tests for hash commands (t_hash)."""
import pytest

from support.resp import Error, parse

LONG = "v" * 65


@pytest.fixture
def limits(pair):
    """CONFIG SET of the listpack limits on both servers, restored after."""
    saved = {}

    def set_limit(name, value):
        if name not in saved:
            saved[name] = parse(pair.real.call("CONFIG", "GET", name))[1]
        pair.check("CONFIG", "SET", name, str(value))

    yield set_limit
    for name, value in saved.items():
        pair.both("CONFIG", "SET", name, value)


def resp3(pair):
    pair.both("HELLO", "3")


# --- HSET HGET HMSET HSETNX ----------------------------------------------------

def test_hset_counts_only_new_fields(pair):
    pair.check("HSET", "h", "a", "1", "b", "2")
    pair.check("HSET", "h", "a", "x", "c", "3")
    pair.check("HGETALL", "h")


def test_hset_odd_arguments_is_arity_error(pair):
    pair.check("HSET", "h", "a", "1", "b")
    pair.check("HSET", "h", "a")
    pair.check("EXISTS", "h")


def test_hmset_replies_ok_and_checks_arity(pair):
    pair.check("HMSET", "h", "a", "1", "b", "2")
    pair.check("HMSET", "h", "a", "1", "b")
    pair.check("HGETALL", "h")


def test_hset_repeated_field_in_one_call(pair):
    pair.check("HSET", "h", "a", "1", "a", "2")
    pair.check("HGET", "h", "a")


def test_hget_missing_key_and_field(pair):
    pair.check("HGET", "nokey", "f")
    pair.check("HSET", "h", "a", "1")
    pair.check("HGET", "h", "nofield")
    resp3(pair)
    pair.check("HGET", "h", "nofield")


def test_hset_binary_field_and_value(pair):
    pair.check("HSET", "h", b"f\x00\r\n", b"v\xff\x00")
    pair.check("HGET", "h", b"f\x00\r\n")
    pair.check("HGETALL", "h")


def test_hset_empty_field_and_value(pair):
    pair.check("HSET", "h", "", "")
    pair.check("HGET", "h", "")
    pair.check("HSTRLEN", "h", "")


def test_hsetnx_sets_only_missing_field(pair):
    pair.check("HSETNX", "h", "a", "1")
    pair.check("HSETNX", "h", "a", "2")
    pair.check("HGET", "h", "a")


def test_hmget_mixes_values_and_nils(pair):
    pair.check("HSET", "h", "a", "1", "b", "2")
    pair.check("HMGET", "h", "a", "x", "b")
    pair.check("HMGET", "nokey", "a", "b")


# --- HDEL HLEN HEXISTS HSTRLEN -------------------------------------------------

def test_hdel_counts_and_deletes_empty_hash(pair):
    pair.check("HSET", "h", "a", "1", "b", "2")
    pair.check("HDEL", "h", "a", "x", "a")
    pair.check("HLEN", "h")
    pair.check("HDEL", "h", "b", "c")
    pair.check("EXISTS", "h")
    pair.check("HDEL", "h", "b")


def test_hdel_last_fields_in_hashtable_deletes_key(pair):
    pair.check("HSET", "h", "a", LONG, "b", "2")
    pair.check("HDEL", "h", "a", "b", "a")
    pair.check("EXISTS", "h")


def test_hlen_hexists_hstrlen(pair):
    pair.check("HSET", "h", "a", "hello", "n", "-123")
    for cmd in (("HLEN", "h"), ("HLEN", "nokey"), ("HEXISTS", "h", "a"),
                ("HEXISTS", "h", "z"), ("HEXISTS", "nokey", "a"),
                ("HSTRLEN", "h", "a"), ("HSTRLEN", "h", "n"),
                ("HSTRLEN", "h", "z"), ("HSTRLEN", "nokey", "a")):
        pair.check(*cmd)


# --- HKEYS HVALS HGETALL --------------------------------------------------------

def test_hkeys_hvals_hgetall_in_listpack_order(pair):
    pair.check("HSET", "h", "z", "1", "a", "2", "m", "three")
    pair.check("HKEYS", "h")
    pair.check("HVALS", "h")
    pair.check("HGETALL", "h")


def test_hgetall_hashtable_unordered(pair):
    pair.check("HSET", "h", "a", LONG, *[x for i in range(20) for x in ("f%d" % i, str(i))])
    pair.check_unordered("HKEYS", "h")
    pair.check_unordered("HVALS", "h")
    pair.check_unordered("HGETALL", "h")


def test_hgetall_resp3_is_a_map(pair):
    resp3(pair)
    pair.check("HSET", "h", "a", "1", "b", "2")
    pair.check("HGETALL", "h")
    pair.check("HGETALL", "nokey")
    pair.check("HKEYS", "nokey")
    pair.check("HVALS", "nokey")


def test_missing_key_replies(pair):
    for cmd in (("HGETALL", "nokey"), ("HKEYS", "nokey"), ("HVALS", "nokey"),
                ("HRANDFIELD", "nokey"), ("HRANDFIELD", "nokey", "3"),
                ("HSCAN", "nokey", "0"), ("HSCAN", "nokey", "0", "COUNT", "0")):
        pair.check(*cmd)


# --- HINCRBY HINCRBYFLOAT ----------------------------------------------------------

def test_hincrby_creates_and_adds(pair):
    pair.check("HINCRBY", "h", "a", "5")
    pair.check("HINCRBY", "h", "a", "-7")
    pair.check("HGET", "h", "a")


def test_hincrby_errors(pair):
    pair.check("HSET", "h", "s", "abc", "big", "9223372036854775807", "sp", " 1")
    pair.check("HINCRBY", "h", "s", "1")
    pair.check("HINCRBY", "h", "sp", "1")
    pair.check("HINCRBY", "h", "big", "1")
    pair.check("HINCRBY", "h", "big", "-1")
    pair.check("HINCRBY", "h", "a", "1.5")
    pair.check("HINCRBY", "h", "a", "")
    pair.check("HINCRBY", "nokey", "a", "x")
    pair.check("EXISTS", "nokey")


def test_hincrby_min_overflow(pair):
    pair.check("HSET", "h", "m", "-9223372036854775808")
    pair.check("HINCRBY", "h", "m", "-1")
    pair.check("HINCRBY", "h", "m", "9223372036854775807")


def test_hincrbyfloat_formats_like_incrbyfloat(pair):
    pair.check("HINCRBYFLOAT", "h", "a", "10.5")
    pair.check("HINCRBYFLOAT", "h", "a", "0.1")
    pair.check("HINCRBYFLOAT", "h", "a", "-10.6")
    pair.check("HINCRBYFLOAT", "h", "b", "5.0e3")
    pair.check("HINCRBYFLOAT", "h", "c", "1e100")
    pair.check("HSET", "h", "i", "17")
    pair.check("HINCRBYFLOAT", "h", "i", "3")
    pair.check_unordered("HGETALL", "h")


def test_hincrbyfloat_errors(pair):
    pair.check("HSET", "h", "s", "abc", "a", "1")
    pair.check("HINCRBYFLOAT", "h", "s", "1")
    pair.check("HINCRBYFLOAT", "h", "a", "abc")
    pair.check("HINCRBYFLOAT", "h", "a", "inf")
    pair.check("HINCRBYFLOAT", "h", "a", "-inf")
    pair.check("HINCRBYFLOAT", "h", "a", "nan")
    pair.check("HINCRBYFLOAT", "h", "a", "1e4933")
    pair.check("HSET", "h", "m", "1.1e4932")
    pair.check("HINCRBYFLOAT", "h", "m", "1.1e4932")
    pair.check("HGETALL", "h")


# --- WRONGTYPE ----------------------------------------------------------------------

@pytest.mark.parametrize("cmd", [
    ("HSET", "s", "a", "1"), ("HSETNX", "s", "a", "1"), ("HMSET", "s", "a", "1"),
    ("HGET", "s", "a"), ("HMGET", "s", "a"), ("HDEL", "s", "a"), ("HLEN", "s"),
    ("HSTRLEN", "s", "a"), ("HEXISTS", "s", "a"), ("HKEYS", "s"), ("HVALS", "s"),
    ("HGETALL", "s"), ("HINCRBY", "s", "a", "1"), ("HINCRBYFLOAT", "s", "a", "1"),
    ("HRANDFIELD", "s"), ("HRANDFIELD", "s", "2"), ("HSCAN", "s", "0"),
])
def test_wrongtype(pair, cmd):
    pair.check("SET", "s", "x")
    pair.check(*cmd)


def test_string_commands_on_hash_are_wrongtype(pair):
    pair.check("HSET", "h", "a", "1")
    pair.check("GET", "h")
    pair.check("TYPE", "h")


# --- HRANDFIELD ------------------------------------------------------------------------

def _fields(pair):
    return set(parse(pair.real.call("HKEYS", "h")))


@pytest.mark.parametrize("big", [False, True])
def test_hrandfield_without_count_returns_a_field(pair, big):
    pair.check("HSET", "h", "a", LONG if big else "1", "b", "2", "c", "3")
    for _ in range(10):
        assert parse(pair.ours.call("HRANDFIELD", "h")) in {b"a", b"b", b"c"}


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("count", [1, 2, 3, 5, 10, 100])
def test_hrandfield_positive_count_is_distinct(pair, big, count):
    fields = [x for i in range(10) for x in ("f%d" % i, "v%d" % i)]
    pair.check("HSET", "h", *fields, *(["big", LONG] if big else []))
    got = parse(pair.ours.call("HRANDFIELD", "h", str(count)))
    n = 11 if big else 10
    assert len(got) == min(count, n)
    assert len(set(got)) == len(got)
    assert set(got) <= _fields(pair)


@pytest.mark.parametrize("big", [False, True])
def test_hrandfield_negative_count_allows_repeats(pair, big):
    pair.check("HSET", "h", "a", LONG if big else "1", "b", "2")
    got = parse(pair.ours.call("HRANDFIELD", "h", "-20"))
    assert len(got) == 20 and set(got) <= {b"a", b"b"}


@pytest.mark.parametrize("proto", [2, 3])
@pytest.mark.parametrize("count", ["-5", "2", "1", "10"])
def test_hrandfield_withvalues_shape(pair, proto, count):
    if proto == 3:
        resp3(pair)
    pair.check("HSET", "h", "a", "1", "b", "2", "c", "3")
    real = parse(pair.real.call("HRANDFIELD", "h", count, "WITHVALUES"))
    ours = parse(pair.ours.call("HRANDFIELD", "h", count, "WITHVALUES"))
    assert len(ours) == len(real)
    truth = {b"a": b"1", b"b": b"2", b"c": b"3"}
    if proto == 3:
        pairs = ours
    else:
        pairs = [ours[i:i + 2] for i in range(0, len(ours), 2)]
    assert all(len(p) == 2 and truth[p[0]] == p[1] for p in pairs)


def test_hrandfield_count_zero_and_whole_hash(pair):
    pair.check("HSET", "h", "a", "1", "b", "2")
    pair.check("HRANDFIELD", "h", "0")
    pair.check("HRANDFIELD", "h", "0", "WITHVALUES")
    pair.check_unordered("HRANDFIELD", "h", "2")
    pair.check_unordered("HRANDFIELD", "h", "100", "WITHVALUES")


def test_hrandfield_errors(pair):
    pair.check("HSET", "h", "a", "1")
    for args in (("x",), ("1", "foo"), ("1", "WITHVALUES", "x"),
                 ("-9223372036854775808",), ("9223372036854775807", "WITHVALUES"),
                 ("-9223372036854775807", "WITHVALUES"), ("1.5",)):
        pair.check("HRANDFIELD", "h", *args)


# --- HSCAN ---------------------------------------------------------------------------------

def test_hscan_listpack_returns_everything_at_once(pair):
    pair.check("HSET", "h", "a", "1", "b", "2", "c", "3")
    pair.check("HSCAN", "h", "0")
    pair.check("HSCAN", "h", "0", "COUNT", "1")
    pair.check("HSCAN", "h", "0", "MATCH", "b*")
    pair.check("HSCAN", "h", "0", "MATCH", "*")


def test_hscan_errors(pair):
    pair.check("HSET", "h", "a", "1")
    for args in (("x",), ("0", "COUNT", "0"), ("0", "COUNT", "x"), ("0", "TYPE", "string"),
                 ("0", "MATCH"), ("0", "FOO", "bar"), ("-1",), (" 0",)):
        pair.check("HSCAN", "h", *args)


def test_hscan_hashtable_full_iteration(pair):
    fields = {("f%d" % i).encode(): str(i).encode() for i in range(300)}
    pair.check("HSET", "h", *[x for kv in fields.items() for x in kv])
    seen = {}
    cursor = b"0"
    while True:
        cur, items = parse(pair.ours.call("HSCAN", "h", cursor, "COUNT", "20"))
        assert len(items) % 2 == 0
        seen.update(zip(items[::2], items[1::2]))
        cursor = cur
        if cursor == b"0":
            break
    assert seen == fields


def test_hscan_hashtable_match_filters_fields(pair):
    pair.check("HSET", "h", *[x for i in range(200) for x in ("f%d" % i, "x")])
    cursor, got = b"0", set()
    while True:
        cursor, items = parse(pair.ours.call("HSCAN", "h", cursor, "MATCH", "f1*", "COUNT", "50"))
        got.update(items[::2])
        if cursor == b"0":
            break
    assert got == {("f%d" % i).encode() for i in range(200) if str(i).startswith("1")}


# --- encodings ---------------------------------------------------------------------------

def test_small_hash_is_listpack(pair):
    pair.check("HSET", "h", "a", "1")
    pair.check("OBJECT", "ENCODING", "h")


def test_value_over_limit_converts(pair):
    pair.check("HSET", "h", "a", "v" * 64)
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("HSET", "h", "b", "v" * 65)
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("HDEL", "h", "b")
    pair.check("OBJECT", "ENCODING", "h")


def test_field_over_limit_converts(pair):
    pair.check("HSET", "h", "f" * 65, "1")
    pair.check("OBJECT", "ENCODING", "h")


def test_entries_over_limit_converts(pair, limits):
    limits("hash-max-listpack-entries", 4)
    pair.check("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4")
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("HSET", "h", "e", "5")
    pair.check("OBJECT", "ENCODING", "h")
    pair.check_unordered("HGETALL", "h")


def test_default_limit_512_entries(pair):
    pair.check("HSET", "h", *[x for i in range(512) for x in ("f%d" % i, "v")])
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("HSET", "h", "last", "v")
    pair.check("OBJECT", "ENCODING", "h")


def test_lowered_entries_limit_converts_on_next_set(pair, limits):
    pair.check("HSET", "h", "a", "1", "b", "2", "c", "3")
    limits("hash-max-listpack-entries", 1)
    pair.check("HDEL", "h", "a")
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("HSET", "h", "b", "5")
    pair.check("OBJECT", "ENCODING", "h")


def test_lowered_value_limit(pair, limits):
    pair.check("HSET", "h", "a", "12", "b", "2")
    limits("hash-max-listpack-value", 1)
    pair.check("HSETNX", "h", "a", "123")
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("HSET", "h", "a", "1")
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("HSET", "h", "a", "12")
    pair.check("OBJECT", "ENCODING", "h")


def test_hincrby_long_field_converts(pair):
    pair.check("HSET", "h", "a", "1")
    pair.check("HINCRBY", "h", "f" * 65, "1")
    pair.check("OBJECT", "ENCODING", "h")


def test_hincrbyfloat_long_result_converts(pair):
    pair.check("HSET", "h", "a", "1")
    pair.check("HINCRBYFLOAT", "h", "a", "1e100")
    pair.check("OBJECT", "ENCODING", "h")


def test_zero_entries_limit_gives_hashtable(pair, limits):
    limits("hash-max-listpack-entries", 0)
    pair.check("HSET", "h", "a", "1")
    pair.check("OBJECT", "ENCODING", "h")


HT_VALUE_LENGTHS = [0, 1, 7, 8, 254, 255, 256, 1000, 70000]


def test_hashtable_values_of_any_length_read_back(pair):
    pair.check("HSET", "h", *[x for n in HT_VALUE_LENGTHS for x in ("f%d" % n, "v" * n)])
    pair.check("OBJECT", "ENCODING", "h")
    for n in HT_VALUE_LENGTHS:
        pair.check("HGET", "h", "f%d" % n)
        pair.check("HSTRLEN", "h", "f%d" % n)
    pair.check_unordered("HVALS", "h")


def test_hashtable_overwrite_changes_value_length(pair):
    pair.check("HSET", "h", "a", LONG, "b", "x")
    for i, n in enumerate((300, 3, 255, 254, 70000, 0, 8)):
        pair.check("HSET", "h", "b", "abcdefg"[i] * n)
        pair.check("HGET", "h", "b")
    pair.check("HSET", "h", "c", "9999999")
    pair.check("HINCRBY", "h", "c", "1")
    pair.check("HINCRBY", "h", "c", "-10000001")
    pair.check("HINCRBYFLOAT", "h", "c", "0.5")
    pair.check_unordered("HGETALL", "h")


def test_integer_values_in_listpack_read_back_as_text(pair):
    pair.check("HSET", "h", "a", "12", "b", "-0", "c", "007", "d", "-9223372036854775808",
               "e", "18446744073709551616", "12", "x")
    pair.check("HGETALL", "h")
    pair.check("HSTRLEN", "h", "d")
    pair.check("HGET", "h", "12")


# --- keyspace interplay ----------------------------------------------------------------------

@pytest.mark.parametrize("big", [False, True])
def test_copy_and_rename_hash(pair, big):
    pair.check("HSET", "h", "a", LONG if big else "1", "b", "2")
    pair.check("COPY", "h", "h2")
    pair.check("HSET", "h2", "c", "3")
    pair.check("HLEN", "h")
    pair.check_unordered("HGETALL", "h2")
    pair.check("OBJECT", "ENCODING", "h2")
    pair.check("RENAME", "h2", "h3")
    pair.check_unordered("HGETALL", "h3")
    pair.check("DEL", "h", "h3")


def test_set_overwrites_hash(pair):
    pair.check("HSET", "h", "a", "1")
    pair.check("SET", "h", "x")
    pair.check("GET", "h")


def test_expired_hash_is_gone(pair):
    pair.check("HSET", "h", "a", "1")
    pair.check("PEXPIRE", "h", "1")
    import time
    time.sleep(0.02)
    pair.check("HGET", "h", "a")
    pair.check("HLEN", "h")
    pair.check("HSET", "h", "b", "1")
    pair.check("HGETALL", "h")


def test_arity_errors(pair):
    for cmd in (("HSET", "h", "a"), ("HGET", "h"), ("HDEL", "h"), ("HLEN",),
                ("HINCRBY", "h", "a"), ("HINCRBYFLOAT", "h", "a"), ("HSETNX", "h", "a"),
                ("HRANDFIELD",), ("HSCAN", "h"), ("HMGET", "h"), ("HSTRLEN", "h")):
        pair.check(*cmd)
