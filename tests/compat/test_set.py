"""Differential tests for set commands (t_set).  Replies built from an
intset come out in ascending order on both servers and are compared byte
for byte; hash-table replies are compared as multisets."""
import pytest

from support.resp import Error, parse


def _ints(lo, hi):
    return [str(i) for i in range(lo, hi)]


def _sscan_all(conn, key, *opts):
    cursor, members, calls = b"0", [], 0
    while True:
        cursor, batch = parse(conn.call("SSCAN", key, cursor, *opts))
        members.extend(batch)
        calls += 1
        if cursor == b"0":
            return members, calls
        assert calls < 10000, "SSCAN did not terminate"


# --- SADD / SREM / SCARD / SISMEMBER / SMISMEMBER ---------------------------

def test_sadd_counts_only_new_members(pair):
    pair.check("SADD", "s", "a", "b", "a")
    pair.check("SADD", "s", "b", "c")
    pair.check("SCARD", "s")


def test_srem_counts_removed_and_deletes_empty_set(pair):
    pair.check("SADD", "s", "1", "2", "x")
    pair.check("SREM", "s", "1", "nope", "1")
    pair.check("SREM", "s", "2", "x", "3")
    pair.check("EXISTS", "s")
    pair.check("SREM", "s", "x")


def test_sismember_and_smismember(pair):
    pair.check("SADD", "s", "a", "1")
    pair.check("SISMEMBER", "s", "a")
    pair.check("SISMEMBER", "s", "b")
    pair.check("SISMEMBER", "nokey", "a")
    pair.check("SMISMEMBER", "s", "a", "b", "1", "01")
    pair.check("SMISMEMBER", "nokey", "a", "b")


def test_scard_of_missing_key_is_zero(pair):
    pair.check("SCARD", "nokey")


# --- encodings -------------------------------------------------------------

def test_integer_members_make_an_intset(pair):
    pair.check("SADD", "s", "1", "-5", "9223372036854775807", "-9223372036854775808")
    pair.check("OBJECT", "ENCODING", "s")
    pair.check("SMEMBERS", "s")


@pytest.mark.parametrize("member", ["x", "01", "+1", "-0", " 1", "1.0", "9223372036854775808", ""])
def test_non_canonical_integer_converts_to_hashtable(pair, member):
    pair.check("SADD", "s", "1", "2")
    pair.check("SADD", "s", member)
    pair.check("OBJECT", "ENCODING", "s")
    pair.check_unordered("SMEMBERS", "s")


def test_first_string_member_creates_hashtable(pair):
    pair.check("SADD", "s", "a", "1")
    pair.check("SREM", "s", "a")
    pair.check("OBJECT", "ENCODING", "s")


def test_intset_converts_past_max_entries(pair):
    pair.check("SADD", "s", *_ints(0, 512))
    pair.check("OBJECT", "ENCODING", "s")
    pair.check("SADD", "s", "512")
    pair.check("OBJECT", "ENCODING", "s")
    pair.check("SCARD", "s")


def test_max_intset_entries_follows_config(pair):
    pair.check("CONFIG", "SET", "set-max-intset-entries", "4")
    try:
        pair.check("SADD", "s", "1", "2", "3", "4")
        pair.check("OBJECT", "ENCODING", "s")
        pair.check("SADD", "s", "5")
        pair.check("OBJECT", "ENCODING", "s")
    finally:
        pair.check("CONFIG", "SET", "set-max-intset-entries", "512")


def test_smembers_of_intset_is_sorted(pair):
    pair.check("SADD", "s", "30", "-2", "7", "100000", "5")
    pair.check("SMEMBERS", "s")


def test_smembers_of_hashtable(pair):
    pair.check("SADD", "s", "a", "b", "c", "1")
    pair.check_unordered("SMEMBERS", "s")


def test_smembers_missing_key(pair):
    pair.check("SMEMBERS", "nokey")


def test_resp3_replies_are_sets(pair):
    pair.both("HELLO", "3")
    pair.check("SADD", "s", "1", "2", "3")
    pair.check("SADD", "t", "2", "3", "4")
    pair.check("SMEMBERS", "s")
    pair.check("SINTER", "s", "t")
    pair.check("SUNION", "s", "t")
    pair.check("SDIFF", "s", "t")
    pair.check("SMEMBERS", "nokey")
    pair.check("SPOP", "nokey", "2")
    pair.check("SRANDMEMBER", "s", "10")
    pair.check("SRANDMEMBER", "nokey", "2")
    pair.check("SPOP", "nokey")
    pair.check("SRANDMEMBER", "nokey")
    pair.check("SMISMEMBER", "s", "1", "9")


# --- WRONGTYPE ---------------------------------------------------------------

@pytest.mark.parametrize("cmd", [("SADD", "str", "a"), ("SREM", "str", "a"), ("SMEMBERS", "str"),
                                 ("SISMEMBER", "str", "a"), ("SMISMEMBER", "str", "a"),
                                 ("SCARD", "str"), ("SPOP", "str"), ("SPOP", "str", "2"),
                                 ("SPOP", "str", "0"), ("SRANDMEMBER", "str"),
                                 ("SRANDMEMBER", "str", "2"), ("SMOVE", "str", "s", "a"),
                                 ("SMOVE", "s", "str", "1"), ("SINTER", "s", "str"),
                                 ("SINTER", "nokey", "str"), ("SINTERCARD", "2", "s", "str"),
                                 ("SINTERSTORE", "d", "s", "str"), ("SUNION", "nokey", "str"),
                                 ("SUNIONSTORE", "d", "str"), ("SDIFF", "s", "str"),
                                 ("SDIFFSTORE", "d", "nokey", "str"), ("SSCAN", "str", "0")])
def test_set_commands_on_a_string_are_wrongtype(pair, cmd):
    pair.check("SET", "str", "x")
    pair.check("SADD", "s", "1", "2")
    pair.check(*cmd)
    pair.check("EXISTS", "d")


@pytest.mark.parametrize("cmd", [("SADD", "s"), ("SREM", "s"), ("SMEMBERS",), ("SISMEMBER", "s"),
                                 ("SMISMEMBER", "s"), ("SCARD",), ("SPOP",), ("SRANDMEMBER",),
                                 ("SMOVE", "a", "b"), ("SINTER",), ("SINTERCARD", "1"),
                                 ("SINTERSTORE", "d"), ("SUNION",), ("SUNIONSTORE", "d"),
                                 ("SDIFF",), ("SDIFFSTORE", "d"), ("SSCAN", "s")])
def test_wrong_arity(pair, cmd):
    pair.check(*cmd)


# --- SMOVE ---------------------------------------------------------------------

def test_smove_moves_and_deletes_emptied_source(pair):
    pair.check("SADD", "a", "1")
    pair.check("SMOVE", "a", "b", "1")
    pair.check("EXISTS", "a")
    pair.check("SMEMBERS", "b")
    pair.check("OBJECT", "ENCODING", "b")


def test_smove_missing_member_or_source(pair):
    pair.check("SADD", "a", "1")
    pair.check("SMOVE", "a", "b", "2")
    pair.check("SMOVE", "nokey", "b", "2")
    pair.check("EXISTS", "b")


def test_smove_to_itself(pair):
    pair.check("SADD", "a", "1")
    pair.check("SMOVE", "a", "a", "1")
    pair.check("SMOVE", "a", "a", "2")
    pair.check("SMEMBERS", "a")


def test_smove_string_member_into_intset_converts(pair):
    pair.check("SADD", "a", "x", "1")
    pair.check("SADD", "b", "1", "2")
    pair.check("SMOVE", "a", "b", "x")
    pair.check("OBJECT", "ENCODING", "b")
    pair.check_unordered("SMEMBERS", "b")


def test_smove_missing_source_with_wrong_type_destination(pair):
    pair.check("SET", "str", "x")
    pair.check("SMOVE", "nokey", "str", "1")


# --- SPOP / SRANDMEMBER ----------------------------------------------------------

def test_spop_single_removes_member(pair):
    for conn in (pair.real, pair.ours):
        conn.call("SADD", "s", "a", "b", "c")
        popped = parse(conn.call("SPOP", "s"))
        assert popped in (b"a", b"b", b"c")
        assert parse(conn.call("SISMEMBER", "s", popped)) == 0
        assert parse(conn.call("SCARD", "s")) == 2


def test_spop_last_member_deletes_key(pair):
    pair.check("SADD", "s", "7")
    pair.check("SPOP", "s")
    pair.check("EXISTS", "s")
    pair.check("SPOP", "s")


@pytest.mark.parametrize("count", ["0", "-1", "x", "1.5"])
def test_spop_count_edge_arguments(pair, count):
    pair.check("SADD", "s", "1", "2")
    pair.check("SPOP", "s", count)
    pair.check("SPOP", "nokey", count)


def test_spop_extra_argument_is_syntax_error(pair):
    pair.check("SADD", "s", "1")
    pair.check("SPOP", "s", "1", "2")
    pair.check("SRANDMEMBER", "s", "1", "2")


def test_spop_count_covering_whole_intset_is_sorted_and_deletes(pair):
    pair.check("SADD", "s", "5", "3", "1")
    pair.check("SPOP", "s", "10")
    pair.check("EXISTS", "s")


@pytest.mark.parametrize("size,count", [(20, 2), (20, 10), (20, 17), (600, 550), (600, 50)])
@pytest.mark.parametrize("kind", ["int", "str"])
def test_spop_count_strategies_keep_the_rest(pair, size, count, kind):
    members = ["%s%d" % ("m" if kind == "str" else "", i) for i in range(size)]
    pair.check("SADD", "s", *members)
    pair.check("EXPIRE", "s", "1000")
    for conn in (pair.real, pair.ours):
        popped = parse(conn.call("SPOP", "s", count))
        assert len(popped) == len(set(popped)) == count
        rest = parse(conn.call("SMEMBERS", "s"))
        assert set(rest) | set(popped) == set(m.encode() for m in members)
        assert not set(rest) & set(popped)
    pair.check("OBJECT", "ENCODING", "s")
    pair.check("TTL", "s")
    pair.check("SCARD", "s")


@pytest.mark.parametrize("count", ["0", "x", "-9223372036854775808", "9223372036854775808"])
def test_srandmember_count_edge_arguments(pair, count):
    pair.check("SADD", "s", "1", "2")
    pair.check("SRANDMEMBER", "s", count)
    pair.check("SRANDMEMBER", "nokey", count)


def test_srandmember_count_at_least_size_returns_all(pair):
    pair.check("SADD", "s", "3", "1", "2")
    pair.check("SRANDMEMBER", "s", "3")
    pair.check("SRANDMEMBER", "s", "100")


@pytest.mark.parametrize("size,count", [(30, 1), (30, 5), (30, 20), (30, -5), (30, -100), (3, -10)])
@pytest.mark.parametrize("kind", ["int", "str"])
def test_srandmember_count_shapes(pair, size, count, kind):
    members = set(("%s%d" % ("m" if kind == "str" else "", i)).encode() for i in range(size))
    pair.check("SADD", "s", *members)
    for conn in (pair.real, pair.ours):
        got = parse(conn.call("SRANDMEMBER", "s", count))
        assert len(got) == (abs(count) if count < 0 else min(count, size))
        assert set(got) <= members
        if count > 0:
            assert len(set(got)) == len(got)
    pair.check("SCARD", "s")


def test_srandmember_single_from_missing_key_is_null(pair):
    pair.check("SRANDMEMBER", "nokey")


def test_srandmember_and_spop_draw_every_member(pair):
    pair.check("SADD", "s", "a", "b", "c", "1")
    seen = set(parse(pair.ours.call("SRANDMEMBER", "s", "-200")))
    assert seen == {b"a", b"b", b"c", b"1"}


# --- SINTER / SINTERCARD / SINTERSTORE -------------------------------------------

def test_sinter_of_intsets_is_sorted(pair):
    pair.check("SADD", "a", *_ints(0, 20))
    pair.check("SADD", "b", *_ints(10, 30))
    pair.check("SINTER", "a", "b")
    pair.check("SINTER", "a", "a")


def test_sinter_mixed_encodings(pair):
    pair.check("SADD", "a", "1", "2", "x", "y")
    pair.check("SADD", "b", "2", "y", "z", "3")
    pair.check_unordered("SINTER", "a", "b")
    pair.check_unordered("SINTER", "b", "a")


def test_sinter_with_missing_key_is_empty(pair):
    pair.check("SADD", "a", "1")
    pair.check("SINTER", "a", "nokey")


def test_sinterstore_overwrites_and_clears_ttl(pair):
    pair.check("SADD", "a", "1", "2", "3")
    pair.check("SADD", "b", "2", "3", "4")
    pair.check("SET", "d", "x", "EX", "100")
    pair.check("SINTERSTORE", "d", "a", "b")
    pair.check("TYPE", "d")
    pair.check("TTL", "d")
    pair.check("SMEMBERS", "d")
    pair.check("OBJECT", "ENCODING", "d")


def test_sinterstore_empty_result_deletes_destination(pair):
    pair.check("SADD", "a", "1")
    pair.check("SADD", "b", "2")
    pair.check("SET", "d", "x")
    pair.check("SINTERSTORE", "d", "a", "b")
    pair.check("EXISTS", "d")
    pair.check("SET", "d", "x")
    pair.check("SINTERSTORE", "d", "a", "nokey")
    pair.check("EXISTS", "d")


def test_sinterstore_into_a_source_key(pair):
    pair.check("SADD", "a", "1", "2", "x")
    pair.check("SADD", "b", "2", "x")
    pair.check("SINTERSTORE", "a", "a", "b")
    pair.check_unordered("SMEMBERS", "a")
    pair.check("OBJECT", "ENCODING", "a")


def test_sinterstore_of_strings_only_integers_left_is_intset(pair):
    pair.check("SADD", "a", "1", "2", "x")
    pair.check("SADD", "b", "1", "2", "y")
    pair.check("SINTERSTORE", "d", "a", "b")
    pair.check("OBJECT", "ENCODING", "d")


@pytest.mark.parametrize("args", [("2", "a", "b"), ("2", "a", "b", "LIMIT", "1"),
                                  ("2", "a", "b", "limit", "0"), ("1", "a", "LIMIT", "100"),
                                  ("2", "a", "nokey"), ("0", "a"), ("-1", "a"), ("x", "a"),
                                  ("3", "a", "b"), ("1", "a", "LIMIT"), ("1", "a", "LIMIT", "-1"),
                                  ("1", "a", "LIMIT", "x"), ("1", "a", "FOO", "1"),
                                  ("1", "a", "LIMIT", "1", "LIMIT", "2")])
def test_sintercard(pair, args):
    pair.check("SADD", "a", "1", "2", "3", "x")
    pair.check("SADD", "b", "2", "3", "x", "y")
    pair.check("SINTERCARD", *args)


# --- SUNION / SDIFF and their STORE forms ---------------------------------------

def test_sunion_of_intsets_is_sorted(pair):
    pair.check("SADD", "a", "5", "1")
    pair.check("SADD", "b", "3", "1", "-4")
    pair.check("SUNION", "a", "b", "nokey")


def test_sunion_with_strings(pair):
    pair.check("SADD", "a", "5", "x")
    pair.check("SADD", "b", "y", "5")
    pair.check_unordered("SUNION", "a", "b")


def test_sdiff(pair):
    pair.check("SADD", "a", "1", "2", "3", "4")
    pair.check("SADD", "b", "2", "x")
    pair.check("SADD", "c", "4")
    pair.check("SDIFF", "a", "b", "c")
    pair.check("SDIFF", "a", "nokey")
    pair.check("SDIFF", "nokey", "a")
    pair.check("SDIFF", "a", "a")


def test_sdiff_of_strings(pair):
    pair.check("SADD", "a", "x", "y", "z", "1")
    pair.check("SADD", "b", "y")
    pair.check_unordered("SDIFF", "a", "b")


@pytest.mark.parametrize("cmd", ["SUNIONSTORE", "SDIFFSTORE"])
def test_store_forms_replace_or_delete_destination(pair, cmd):
    pair.check("SADD", "a", "1", "2", "x")
    pair.check("SADD", "b", "2")
    pair.check("SET", "d", "v", "EX", "100")
    pair.check(cmd, "d", "a", "b")
    pair.check("TTL", "d")
    pair.check("OBJECT", "ENCODING", "d")
    pair.check_unordered("SMEMBERS", "d")
    pair.check(cmd, "d", "nokey")
    pair.check("EXISTS", "d")


def test_sunionstore_of_many_integers_converts(pair):
    pair.check("SADD", "a", *_ints(0, 300))
    pair.check("SADD", "b", *_ints(300, 600))
    pair.check("SUNIONSTORE", "d", "a", "b")
    pair.check("OBJECT", "ENCODING", "d")
    pair.check("SCARD", "d")


def test_sdiffstore_into_a_source_key(pair):
    pair.check("SADD", "a", "1", "2", "3")
    pair.check("SADD", "b", "2")
    pair.check("SDIFFSTORE", "a", "a", "b")
    pair.check("SMEMBERS", "a")


# --- SSCAN ----------------------------------------------------------------------

def test_sscan_intset_returns_all_in_one_call(pair):
    pair.check("SADD", "s", *_ints(0, 100))
    pair.check("SSCAN", "s", "0")
    pair.check("SSCAN", "s", "0", "COUNT", "5")
    pair.check("SSCAN", "s", "0", "MATCH", "1*")


def test_sscan_hashtable_full_iteration(pair):
    members = ["m%d" % i for i in range(300)]
    pair.check("SADD", "s", *members)
    for conn in (pair.real, pair.ours):
        got, calls = _sscan_all(conn, "s", "COUNT", "20")
        assert set(got) == set(m.encode() for m in members)
        assert calls > 1
        got, _ = _sscan_all(conn, "s", "MATCH", "m1?")
        assert set(got) == set(("m1%d" % i).encode() for i in range(10))


@pytest.mark.parametrize("args", [("0", "COUNT", "0"), ("0", "COUNT", "x"), ("0", "TYPE", "set"),
                                  ("0", "MATCH"), ("x",), ("1 ",), ("0", "FOO", "1")])
def test_sscan_argument_errors(pair, args):
    pair.check("SADD", "s", "a", "1")
    pair.check("SSCAN", "s", *args)
    pair.check("SSCAN", "nokey", *args)


# --- interaction with keyspace commands -------------------------------------------

def test_copy_rename_and_del_of_sets(pair):
    pair.check("SADD", "s", "1", "2", "x")
    pair.check("SADD", "i", "1", "2")
    pair.check("COPY", "s", "c")
    pair.check("COPY", "i", "ci")
    pair.check("SADD", "c", "y")
    pair.check("SCARD", "s")
    pair.check_unordered("SMEMBERS", "c")
    pair.check("SMEMBERS", "ci")
    pair.check("OBJECT", "ENCODING", "ci")
    pair.check("RENAME", "c", "r")
    pair.check("TYPE", "r")
    pair.check("SET", "s", "overwritten")
    pair.check("DEL", "r", "ci", "i")
