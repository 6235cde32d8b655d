"""Differential tests for keyspace commands (t_generic / keyspace)."""
import time

import pytest

from support.resp import parse


def _scan_all(conn, *opts):
    """Every key a full SCAN iteration returns, plus the number of calls."""
    cursor, keys, calls = b"0", [], 0
    while True:
        reply = parse(conn.call("SCAN", cursor, *opts))
        cursor, batch = reply
        keys.extend(batch)
        calls += 1
        if cursor == b"0":
            return keys, calls
        assert calls < 10000, "SCAN did not terminate"


# --- DEL / UNLINK / EXISTS / TYPE / TOUCH -----------------------------------

def test_del_counts_removed_keys_once(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("DEL", "a", "a", "b", "nokey")
    pair.check("EXISTS", "a", "b")


def test_unlink_counts_removed_keys(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("UNLINK", "a", "b", "c")
    pair.check("DBSIZE")


def test_exists_counts_duplicates(pair):
    pair.check("SET", "a", "1")
    pair.check("EXISTS", "a", "a", "a", "nokey")


def test_type_of_string_and_missing(pair):
    pair.check("SET", "a", "1")
    pair.check("TYPE", "a")
    pair.check("TYPE", "nokey")


def test_touch_counts_existing_keys(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("TOUCH", "a", "b", "c", "a")


@pytest.mark.parametrize("cmd", [("DEL",), ("UNLINK",), ("EXISTS",), ("TYPE",),
                                 ("TYPE", "a", "b"), ("TOUCH",), ("KEYS",),
                                 ("RENAME", "a"), ("RENAMENX", "a"), ("COPY", "a"),
                                 ("MOVE", "a"), ("DBSIZE", "x"), ("RANDOMKEY", "x"),
                                 ("EXPIRE", "a"), ("PEXPIRE", "a"), ("EXPIREAT", "a"),
                                 ("PEXPIREAT", "a"), ("TTL",), ("PTTL", "a", "b"),
                                 ("PERSIST",), ("EXPIRETIME",), ("PEXPIRETIME",),
                                 ("SELECT",), ("SWAPDB", "0"), ("SCAN",), ("OBJECT",),
                                 ("OBJECT", "ENCODING")])
def test_wrong_number_of_arguments(pair, cmd):
    pair.check(*cmd)


# --- KEYS -------------------------------------------------------------------

@pytest.fixture
def glob_keys(pair):
    pair.check("MSET", "hello", "1", "hallo", "1", "hxllo", "1", "hllo", "1",
               "heeeello", "1", "hbllo", "1", "hcllo", "1", "h*llo", "1", "h?llo", "1",
               "h[llo", "1", "h\\llo", "1", "other", "1", "", "1")
    return pair


@pytest.mark.parametrize("pattern", [
    "*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-c]llo", "h[c-a]llo", "h\\*llo",
    "h\\?llo", "h\\[llo", "h\\\\llo", "nomatch*", "h[", "h[a-", "*llo", "?", "",
    "h[!e]llo", "[", "\\", "*[a-b]*", "HELLO",
])
def test_keys_glob_patterns(glob_keys, pattern):
    glob_keys.check_unordered("KEYS", pattern)


def test_keys_on_empty_db(pair):
    pair.check("KEYS", "*")


def test_keys_skips_expired_keys(pair):
    pair.check("SET", "a", "1", "PX", "30")
    pair.check("SET", "b", "1")
    time.sleep(0.1)
    pair.check_unordered("KEYS", "*")


# --- SCAN -------------------------------------------------------------------

def test_scan_full_iteration_returns_every_key(pair):
    args = []
    for i in range(300):
        args += ["key:%d" % i, str(i)]
    pair.check("MSET", *args)
    real_keys, _ = _scan_all(pair.real)
    ours_keys, _ = _scan_all(pair.ours)
    assert sorted(set(ours_keys)) == sorted(set(real_keys))
    assert len(set(real_keys)) == 300


def test_scan_match_filters_keys(pair):
    args = []
    for i in range(100):
        args += ["user:%d" % i, "1", "item:%d" % i, "1"]
    pair.check("MSET", *args)
    real_keys, _ = _scan_all(pair.real, "MATCH", "user:1*")
    ours_keys, _ = _scan_all(pair.ours, "MATCH", "user:1*")
    assert sorted(set(ours_keys)) == sorted(set(real_keys))
    assert len(set(real_keys)) == 11


def test_scan_type_filters_keys(pair):
    pair.check("MSET", "a", "1", "b", "2")
    for kind in ("string", "list", "nosuchtype"):
        real_keys, _ = _scan_all(pair.real, "TYPE", kind)
        ours_keys, _ = _scan_all(pair.ours, "TYPE", kind)
        assert sorted(set(ours_keys)) == sorted(set(real_keys))


def test_scan_count_bounds_the_work(pair):
    args = []
    for i in range(200):
        args += ["k%d" % i, "1"]
    pair.check("MSET", *args)
    keys, calls = _scan_all(pair.ours, "COUNT", "10")
    assert len(set(keys)) == 200
    assert calls > 5


def test_scan_on_empty_db_finishes_at_once(pair):
    pair.check("SCAN", "0")


@pytest.mark.parametrize("args", [("abc",), ("-1",), ("0", "COUNT", "0"), ("0", "COUNT", "x"),
                                  ("0", "MATCH"), ("0", "FOO", "bar"), ("0", "TYPE"),
                                  ("18446744073709551616",)])
def test_scan_bad_arguments(pair, args):
    pair.check("SCAN", *args)


# --- RANDOMKEY / DBSIZE -----------------------------------------------------

def test_randomkey_on_empty_db_is_nil(pair):
    pair.check("RANDOMKEY")


def test_randomkey_returns_an_existing_key(pair):
    pair.check("MSET", "a", "1", "b", "2", "c", "3")
    for reply in pair.both("RANDOMKEY"):
        assert parse(reply) in (b"a", b"b", b"c")


def test_dbsize_counts_keys_per_db(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("DBSIZE")
    pair.check("SELECT", "1")
    pair.check("DBSIZE")


# --- RENAME / RENAMENX ------------------------------------------------------

def test_rename_moves_value_and_ttl(pair):
    pair.check("SET", "a", "v", "EX", "100")
    pair.check("RENAME", "a", "b")
    pair.check("MGET", "a", "b")
    for reply in pair.both("TTL", "b"):
        assert 99 <= parse(reply) <= 100


def test_rename_overwrites_destination(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("RENAME", "a", "b")
    pair.check("MGET", "a", "b")


def test_rename_missing_key_is_error(pair):
    pair.check("RENAME", "nokey", "b")
    pair.check("RENAMENX", "nokey", "b")


def test_rename_to_same_key(pair):
    pair.check("SET", "a", "1")
    pair.check("RENAME", "a", "a")
    pair.check("RENAMENX", "a", "a")
    pair.check("GET", "a")


def test_renamenx_does_not_overwrite(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("RENAMENX", "a", "b")
    pair.check("RENAMENX", "a", "c")
    pair.check("MGET", "a", "b", "c")


# --- COPY / MOVE ------------------------------------------------------------

def test_copy_to_new_key(pair):
    pair.check("SET", "a", "v", "EX", "100")
    pair.check("COPY", "a", "b")
    pair.check("MGET", "a", "b")
    for reply in pair.both("TTL", "b"):
        assert 99 <= parse(reply) <= 100


def test_copy_does_not_overwrite_without_replace(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("COPY", "a", "b")
    pair.check("COPY", "a", "b", "REPLACE")
    pair.check("MGET", "a", "b")


def test_copy_to_other_db(pair):
    pair.check("SET", "a", "v")
    pair.check("COPY", "a", "a", "DB", "3")
    pair.check("SELECT", "3")
    pair.check("GET", "a")


def test_copy_missing_source_returns_zero(pair):
    pair.check("COPY", "nokey", "b")


@pytest.mark.parametrize("args", [("a", "a"), ("a", "b", "DB", "x"), ("a", "b", "DB", "99"),
                                  ("a", "b", "DB"), ("a", "b", "FOO"), ("a", "a", "DB", "0")])
def test_copy_bad_arguments(pair, args):
    pair.check("SET", "a", "v")
    pair.check("COPY", *args)


def test_move_to_other_db(pair):
    pair.check("SET", "a", "v")
    pair.check("MOVE", "a", "2")
    pair.check("EXISTS", "a")
    pair.check("SELECT", "2")
    pair.check("GET", "a")


def test_move_fails_when_target_has_key(pair):
    pair.check("SET", "a", "v0")
    pair.check("SELECT", "1")
    pair.check("SET", "a", "v1")
    pair.check("SELECT", "0")
    pair.check("MOVE", "a", "1")
    pair.check("GET", "a")


def test_move_missing_key_returns_zero(pair):
    pair.check("MOVE", "nokey", "1")


@pytest.mark.parametrize("db", ["0", "16", "-1", "x"])
def test_move_bad_db(pair, db):
    pair.check("SET", "a", "v")
    pair.check("MOVE", "a", db)


# --- OBJECT -----------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "0", "123", "-123", "9223372036854775807", "9223372036854775808", "007", "+1", " 1",
    "1.5", "a" * 44, "a" * 45, "", "hello", "10000", "-0",
])
def test_object_encoding_of_set_values(pair, value):
    pair.check("SET", "k", value)
    pair.check("OBJECT", "ENCODING", "k")


def test_object_encoding_append_makes_raw(pair):
    pair.check("SET", "k", "abc")
    pair.check("APPEND", "k", "d")
    pair.check("OBJECT", "ENCODING", "k")


def test_object_encoding_incr_result_is_int(pair):
    pair.check("SET", "k", "a" * 50)
    pair.check("SET", "k", "41")
    pair.check("INCR", "k")
    pair.check("OBJECT", "ENCODING", "k")


def test_object_encoding_setrange_makes_raw(pair):
    pair.check("SET", "k", "12")
    pair.check("SETRANGE", "k", "1", "x")
    pair.check("OBJECT", "ENCODING", "k")


def test_object_encoding_missing_key_is_nil(pair):
    pair.check("OBJECT", "ENCODING", "nokey")


def test_object_refcount(pair):
    pair.check("SET", "small", "100")
    pair.check("SET", "big", "100000")
    pair.check("SET", "str", "hello")
    pair.check("OBJECT", "REFCOUNT", "small")
    pair.check("OBJECT", "REFCOUNT", "big")
    pair.check("OBJECT", "REFCOUNT", "str")
    pair.check("OBJECT", "REFCOUNT", "nokey")


def test_object_idletime_is_small_for_fresh_key(pair):
    pair.check("SET", "k", "v")
    for reply in pair.both("OBJECT", "IDLETIME", "k"):
        assert 0 <= parse(reply) <= 2
    pair.check("OBJECT", "IDLETIME", "nokey")


def test_object_freq_without_lfu_policy_is_error(pair):
    pair.check("SET", "k", "v")
    pair.check("OBJECT", "FREQ", "k")


def test_object_help(pair):
    pair.check("OBJECT", "HELP")


def test_object_unknown_subcommand(pair):
    pair.check("OBJECT", "FOO", "k")


# --- EXPIRE family ----------------------------------------------------------

def test_expire_sets_ttl_and_persist_removes_it(pair):
    pair.check("SET", "k", "v")
    pair.check("EXPIRE", "k", "100")
    for reply in pair.both("TTL", "k"):
        assert 99 <= parse(reply) <= 100
    pair.check("PERSIST", "k")
    pair.check("PERSIST", "k")
    pair.check("TTL", "k")


def test_expire_missing_key_returns_zero(pair):
    pair.check("EXPIRE", "nokey", "100")
    pair.check("PERSIST", "nokey")


def test_pexpire_sets_ttl_in_ms(pair):
    pair.check("SET", "k", "v")
    pair.check("PEXPIRE", "k", "100000")
    for reply in pair.both("PTTL", "k"):
        assert 99000 < parse(reply) <= 100000


def test_expireat_and_pexpireat_set_absolute_time(pair):
    at = int(time.time()) + 1000
    pair.check("MSET", "a", "1", "b", "1")
    pair.check("EXPIREAT", "a", str(at))
    pair.check("PEXPIREAT", "b", str(at * 1000 + 5))
    pair.check("EXPIRETIME", "a")
    pair.check("PEXPIRETIME", "a")
    pair.check("EXPIRETIME", "b")
    pair.check("PEXPIRETIME", "b")


def test_expiretime_of_persistent_and_missing_key(pair):
    pair.check("SET", "k", "v")
    pair.check("EXPIRETIME", "k")
    pair.check("PEXPIRETIME", "k")
    pair.check("EXPIRETIME", "nokey")
    pair.check("PEXPIRETIME", "nokey")


@pytest.mark.parametrize("cmd,arg", [("EXPIRE", "0"), ("EXPIRE", "-10"), ("PEXPIRE", "0"),
                                     ("EXPIREAT", "1"), ("PEXPIREAT", "1000")])
def test_expire_in_the_past_deletes_key(pair, cmd, arg):
    pair.check("SET", "k", "v")
    pair.check(cmd, "k", arg)
    pair.check("EXISTS", "k")


@pytest.mark.parametrize("cmd,arg", [("EXPIRE", "abc"), ("EXPIRE", "1.5"),
                                     ("EXPIRE", "9223372036854775807"),
                                     ("PEXPIRE", "9223372036854775807"),
                                     ("EXPIREAT", "9223372036854775807"),
                                     ("PEXPIREAT", "9223372036854775807"),
                                     ("EXPIRE", "-9223372036854775808"),
                                     ("EXPIRE", "99999999999999999999")])
def test_expire_invalid_or_overflowing_time_is_error(pair, cmd, arg):
    pair.check("SET", "k", "v")
    pair.check(cmd, "k", arg)
    pair.check("TTL", "k")


def test_expire_nx_only_when_no_ttl(pair):
    pair.check("SET", "k", "v")
    pair.check("EXPIRE", "k", "100", "NX")
    pair.check("EXPIRE", "k", "200", "NX")
    for reply in pair.both("TTL", "k"):
        assert 99 <= parse(reply) <= 100


def test_expire_xx_only_when_ttl_exists(pair):
    pair.check("SET", "k", "v")
    pair.check("EXPIRE", "k", "100", "XX")
    pair.check("TTL", "k")
    pair.check("EXPIRE", "k", "100")
    pair.check("EXPIRE", "k", "200", "XX")
    for reply in pair.both("TTL", "k"):
        assert 199 <= parse(reply) <= 200


def test_expire_gt_only_increases(pair):
    pair.check("SET", "k", "v")
    pair.check("EXPIRE", "k", "100", "GT")  # no TTL counts as infinite
    pair.check("EXPIRE", "k", "100")
    pair.check("EXPIRE", "k", "50", "GT")
    pair.check("EXPIRE", "k", "200", "GT")
    for reply in pair.both("TTL", "k"):
        assert 199 <= parse(reply) <= 200


def test_expire_lt_only_decreases(pair):
    pair.check("SET", "k", "v")
    pair.check("EXPIRE", "k", "100", "LT")  # no TTL counts as infinite
    pair.check("EXPIRE", "k", "200", "LT")
    pair.check("EXPIRE", "k", "50", "LT")
    for reply in pair.both("TTL", "k"):
        assert 49 <= parse(reply) <= 50


def test_pexpire_options_apply_too(pair):
    pair.check("SET", "k", "v")
    pair.check("PEXPIRE", "k", "100000", "NX")
    pair.check("PEXPIRE", "k", "50000", "GT")
    pair.check("PEXPIREAT", "k", str(int(time.time() * 1000) + 10_000_000), "XX")


@pytest.mark.parametrize("opts", [("NX", "XX"), ("GT", "LT"), ("NX", "GT"), ("NX", "LT"),
                                  ("XX", "FOO"), ("FOO",)])
def test_expire_incompatible_options_are_errors(pair, opts):
    pair.check("SET", "k", "v")
    pair.check("EXPIRE", "k", "100", *opts)
    pair.check("TTL", "k")


def test_expire_xx_gt_combination_is_allowed(pair):
    pair.check("SET", "k", "v", "EX", "50")
    pair.check("EXPIRE", "k", "100", "XX", "GT")


def test_lazy_expiry_hides_expired_key(pair):
    pair.check("SET", "k", "v", "PX", "50")
    time.sleep(0.2)
    pair.check("GET", "k")
    pair.check("EXISTS", "k")
    pair.check("DBSIZE")


# --- SELECT / SWAPDB / FLUSHDB / FLUSHALL -----------------------------------

@pytest.mark.parametrize("db", ["0", "15", "16", "-1", "abc", "1.0", "99999999999999999999"])
def test_select_db_indexes(pair, db):
    pair.check("SELECT", db)


def test_select_isolates_keyspaces(pair):
    pair.check("SET", "k", "db0")
    pair.check("SELECT", "5")
    pair.check("GET", "k")
    pair.check("SET", "k", "db5")
    pair.check("SELECT", "0")
    pair.check("GET", "k")


def test_swapdb_exchanges_contents(pair):
    pair.check("SET", "k", "db0")
    pair.check("SWAPDB", "0", "1")
    pair.check("GET", "k")
    pair.check("SELECT", "1")
    pair.check("GET", "k")


@pytest.mark.parametrize("args", [("0", "16"), ("x", "1"), ("-1", "0"), ("0", "0")])
def test_swapdb_bad_or_same_indexes(pair, args):
    pair.check("SWAPDB", *args)


def test_flushdb_only_clears_current_db(pair):
    pair.check("SET", "k", "db0")
    pair.check("SELECT", "1")
    pair.check("SET", "k", "db1")
    pair.check("FLUSHDB")
    pair.check("DBSIZE")
    pair.check("SELECT", "0")
    pair.check("DBSIZE")


@pytest.mark.parametrize("cmd", ["FLUSHDB", "FLUSHALL"])
@pytest.mark.parametrize("opt", ["ASYNC", "SYNC", "async"])
def test_flush_modes(pair, cmd, opt):
    pair.check("SET", "k", "v")
    pair.check(cmd, opt)
    pair.check("DBSIZE")


@pytest.mark.parametrize("cmd", ["FLUSHDB", "FLUSHALL"])
def test_flush_bad_option_is_error(pair, cmd):
    pair.check("SET", "k", "v")
    pair.check(cmd, "FOO")
    pair.check(cmd, "ASYNC", "SYNC")
    pair.check("DBSIZE")


def test_flushall_clears_every_db(pair):
    pair.check("SET", "k", "v")
    pair.check("SELECT", "7")
    pair.check("SET", "k", "v")
    pair.check("FLUSHALL")
    pair.check("DBSIZE")
    pair.check("SELECT", "0")
    pair.check("DBSIZE")


# --- more keyspace edge cases ------------------------------------------------

def test_copy_of_expired_key_returns_zero(pair):
    pair.check("SET", "a", "v", "PX", "20")
    time.sleep(0.1)
    pair.check("COPY", "a", "b")
    pair.check("EXISTS", "b")


def test_rename_of_expired_key_is_no_such_key(pair):
    pair.check("SET", "a", "v", "PX", "20")
    time.sleep(0.1)
    pair.check("RENAME", "a", "b")


def test_move_keeps_ttl(pair):
    pair.check("SET", "a", "v", "EX", "100")
    pair.check("MOVE", "a", "1")
    pair.check("SELECT", "1")
    for reply in pair.both("TTL", "a"):
        assert 99 <= parse(reply) <= 100


def test_swapdb_swaps_expires_too(pair):
    pair.check("SET", "a", "v", "EX", "100")
    pair.check("SWAPDB", "0", "9")
    pair.check("SELECT", "9")
    for reply in pair.both("TTL", "a"):
        assert 99 <= parse(reply) <= 100


def test_keys_pattern_on_binary_keys(pair):
    pair.check("MSET", b"k\x00a", "1", b"k\xffb", "2", "k\r\nc", "3")
    pair.check_unordered("KEYS", "k?a")
    pair.check_unordered("KEYS", "k*")


def test_scan_match_skips_expired_keys(pair):
    pair.check("SET", "gone", "v", "PX", "20")
    pair.check("SET", "here", "v")
    time.sleep(0.1)
    real_keys, _ = _scan_all(pair.real)
    ours_keys, _ = _scan_all(pair.ours)
    assert sorted(set(ours_keys)) == sorted(set(real_keys)) == [b"here"]


def test_dbsize_after_lazy_expiry_by_exists(pair):
    pair.check("MSET", "a", "1", "b", "2")
    pair.check("PEXPIRE", "a", "20")
    time.sleep(0.1)
    pair.check("EXISTS", "a")
    pair.check("DBSIZE")
