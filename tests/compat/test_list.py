"""Differential tests for list commands (t_list)."""
import pytest


def fill(pair, key="l", *items):
    items = items or ("a", "b", "c", "a", "d", "a", "1", "2", "-3")
    pair.check("RPUSH", key, *items)


# --- push / pop -----------------------------------------------------------------

def test_lpush_rpush_return_new_length(pair):
    pair.check("LPUSH", "l", "a", "b", "c")
    pair.check("RPUSH", "l", "d", "e")
    pair.check("LRANGE", "l", "0", "-1")


def test_pushx_on_missing_key_is_zero(pair):
    pair.check("LPUSHX", "l", "a")
    pair.check("RPUSHX", "l", "a")
    pair.check("EXISTS", "l")


def test_pushx_on_existing_list(pair):
    fill(pair)
    pair.check("LPUSHX", "l", "x", "y")
    pair.check("RPUSHX", "l", "z")
    pair.check("LRANGE", "l", "0", "-1")


def test_pop_single_and_missing(pair):
    fill(pair)
    pair.check("LPOP", "l")
    pair.check("RPOP", "l")
    pair.check("LPOP", "nokey")
    pair.check("RPOP", "nokey")


@pytest.mark.parametrize("count", ["0", "1", "3", "100"])
def test_pop_with_count(pair, count):
    fill(pair)
    pair.check("LPOP", "l", count)
    pair.check("RPOP", "l", count)
    pair.check("LRANGE", "l", "0", "-1")
    pair.check("EXISTS", "l")


@pytest.mark.parametrize("count", ["-1", "abc", "0", "2"])
def test_pop_count_on_missing_key(pair, count):
    pair.check("LPOP", "nokey", count)


@pytest.mark.parametrize("args", [("-1",), ("x",), ("1", "2")])
def test_pop_count_errors(pair, args):
    fill(pair)
    pair.check("LPOP", "l", *args)
    pair.check("RPOP", "l", *args)


def test_popping_last_element_deletes_key(pair):
    pair.check("RPUSH", "l", "only")
    pair.check("LPOP", "l")
    pair.check("EXISTS", "l")


def test_integer_like_values_roundtrip(pair):
    vals = ["0", "-0", "007", "127", "128", "-4096", "4096", "32768", "8388608",
            "2147483648", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "1.5", " 1", ""]
    pair.check("RPUSH", "l", *vals)
    pair.check("LRANGE", "l", "0", "-1")
    for i in range(len(vals)):
        pair.check("LINDEX", "l", str(i))


def test_binary_and_large_elements(pair):
    pair.check("RPUSH", "l", b"a\r\n\x00\xff", "x" * 70000, "y" * 5000)
    pair.check("LRANGE", "l", "0", "-1")
    pair.check("LLEN", "l")


def test_long_list_spanning_many_nodes(pair):
    for i in range(0, 3000, 500):
        pair.check("RPUSH", "l", *[str(j) + "v" * (j % 40) for j in range(i, i + 500)])
    pair.check("LLEN", "l")
    pair.check("LRANGE", "l", "1000", "1010")
    pair.check("LINDEX", "l", "-1500")
    pair.check("LSET", "l", "2000", "changed")
    pair.check("LINSERT", "l", "BEFORE", "changed", "new")
    pair.check("LREM", "l", "-2", "5vvvvv")
    pair.check("LTRIM", "l", "100", "-100")
    pair.check("LRANGE", "l", "0", "-1")


def test_object_encoding_is_quicklist(pair):
    fill(pair)
    pair.check("OBJECT", "ENCODING", "l")
    pair.check("TYPE", "l")


# --- read commands -----------------------------------------------------------------

def test_llen(pair):
    pair.check("LLEN", "nokey")
    fill(pair)
    pair.check("LLEN", "l")


@pytest.mark.parametrize("start, stop", [("0", "-1"), ("2", "4"), ("-3", "-1"), ("-100", "100"),
                                         ("5", "2"), ("9", "20"), ("0", "0"), ("-1", "-2"),
                                         ("x", "1"), ("1", "x")])
def test_lrange_ranges(pair, start, stop):
    fill(pair)
    pair.check("LRANGE", "l", start, stop)
    pair.check("LRANGE", "nokey", start, stop)


@pytest.mark.parametrize("index", ["0", "3", "-1", "-9", "-10", "9", "x"])
def test_lindex(pair, index):
    fill(pair)
    pair.check("LINDEX", "l", index)
    pair.check("LINDEX", "nokey", index)


# --- LSET LINSERT LREM LTRIM ---------------------------------------------------------

@pytest.mark.parametrize("index", ["0", "-1", "4", "9", "-10", "x"])
def test_lset(pair, index):
    fill(pair)
    pair.check("LSET", "l", index, "new")
    pair.check("LRANGE", "l", "0", "-1")
    pair.check("LSET", "nokey", index, "new")


@pytest.mark.parametrize("where", ["BEFORE", "after", "middle"])
@pytest.mark.parametrize("pivot", ["a", "-3", "zz", "1"])
def test_linsert(pair, where, pivot):
    fill(pair)
    pair.check("LINSERT", "l", where, pivot, "new")
    pair.check("LRANGE", "l", "0", "-1")
    pair.check("LINSERT", "nokey", where, pivot, "new")


@pytest.mark.parametrize("count", ["0", "1", "2", "-1", "-2", "10", "x"])
@pytest.mark.parametrize("value", ["a", "1", "zz"])
def test_lrem(pair, count, value):
    fill(pair)
    pair.check("LREM", "l", count, value)
    pair.check("LRANGE", "l", "0", "-1")
    pair.check("LREM", "nokey", count, value)


def test_lrem_removing_all_deletes_key(pair):
    pair.check("RPUSH", "l", "a", "a")
    pair.check("LREM", "l", "0", "a")
    pair.check("EXISTS", "l")


@pytest.mark.parametrize("start, stop", [("0", "-1"), ("1", "3"), ("-3", "-1"), ("5", "2"),
                                         ("100", "200"), ("-100", "1"), ("0", "100"), ("x", "1")])
def test_ltrim(pair, start, stop):
    fill(pair)
    pair.check("LTRIM", "l", start, stop)
    pair.check("LRANGE", "l", "0", "-1")
    pair.check("EXISTS", "l")
    pair.check("LTRIM", "nokey", start, stop)


# --- LPOS --------------------------------------------------------------------------

@pytest.mark.parametrize("opts", [
    (), ("RANK", "2"), ("RANK", "-1"), ("RANK", "-3"), ("RANK", "5"), ("COUNT", "0"),
    ("COUNT", "2"), ("RANK", "2", "COUNT", "0"), ("RANK", "-2", "COUNT", "5"),
    ("MAXLEN", "3"), ("MAXLEN", "4", "COUNT", "0"), ("RANK", "-1", "MAXLEN", "2"),
    ("RANK", "0"), ("COUNT", "-1"), ("MAXLEN", "-1"), ("RANK", "x"), ("FOO", "1"),
    ("RANK",), ("count", "1", "rank", "1"),
])
def test_lpos(pair, opts):
    fill(pair)
    pair.check("LPOS", "l", "a", *opts)
    pair.check("LPOS", "l", "zz", *opts)
    pair.check("LPOS", "nokey", "a", *opts)


# --- RPOPLPUSH LMOVE ------------------------------------------------------------------

def test_rpoplpush(pair):
    fill(pair)
    pair.check("RPOPLPUSH", "l", "m")
    pair.check("RPOPLPUSH", "l", "m")
    pair.check("LRANGE", "m", "0", "-1")
    pair.check("RPOPLPUSH", "nokey", "m")


def test_rpoplpush_same_key_rotates(pair):
    fill(pair)
    pair.check("RPOPLPUSH", "l", "l")
    pair.check("LRANGE", "l", "0", "-1")


def test_rpoplpush_single_element_onto_itself(pair):
    pair.check("RPUSH", "l", "x")
    pair.check("RPOPLPUSH", "l", "l")
    pair.check("LRANGE", "l", "0", "-1")


@pytest.mark.parametrize("wf", ["LEFT", "right"])
@pytest.mark.parametrize("wt", ["left", "RIGHT"])
def test_lmove_directions(pair, wf, wt):
    fill(pair)
    pair.check("RPUSH", "m", "x")
    pair.check("LMOVE", "l", "m", wf, wt)
    pair.check("LMOVE", "l", "l", wf, wt)
    pair.check("LRANGE", "l", "0", "-1")
    pair.check("LRANGE", "m", "0", "-1")


def test_lmove_moves_last_element_and_deletes_source(pair):
    pair.check("RPUSH", "l", "x")
    pair.check("LMOVE", "l", "m", "LEFT", "LEFT")
    pair.check("EXISTS", "l")
    pair.check("LRANGE", "m", "0", "-1")


def test_lmove_errors(pair):
    fill(pair)
    pair.check("SET", "s", "v")
    pair.check("LMOVE", "l", "m", "UP", "LEFT")
    pair.check("LMOVE", "l", "m", "LEFT", "UP")
    pair.check("LMOVE", "l", "s", "LEFT", "LEFT")
    pair.check("LMOVE", "s", "l", "LEFT", "LEFT")
    pair.check("LMOVE", "nokey", "s", "LEFT", "LEFT")
    pair.check("RPOPLPUSH", "l", "s")
    pair.check("LLEN", "l")


# --- LMPOP -------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("1", "l", "LEFT"), ("1", "l", "RIGHT", "COUNT", "3"), ("2", "nokey", "l", "left", "count", "100"),
    ("2", "nokey", "nokey2", "LEFT"), ("0", "l", "LEFT"), ("x", "l", "LEFT"), ("-1", "l", "LEFT"),
    ("5", "l", "LEFT"), ("1", "l", "UP"), ("1", "l", "LEFT", "COUNT", "0"),
    ("1", "l", "LEFT", "COUNT", "x"), ("1", "l", "LEFT", "COUNT", "1", "COUNT", "1"),
    ("1", "l", "LEFT", "COUNT"), ("1", "l", "LEFT", "extra"), ("2", "s", "l", "LEFT"),
    ("2", "l", "s", "LEFT"),
])
def test_lmpop(pair, args):
    fill(pair)
    pair.check("SET", "s", "v")
    pair.check("LMPOP", *args)
    pair.check("LRANGE", "l", "0", "-1")


# --- blocking forms, non-blocking paths -----------------------------------------------

def test_blpop_brpop_with_data(pair):
    fill(pair)
    pair.check("BLPOP", "nokey", "l", "0")
    pair.check("BRPOP", "nokey", "l", "1.5")
    pair.check("LRANGE", "l", "0", "-1")


@pytest.mark.parametrize("timeout", ["x", "-1", "inf", "1e30", "nan", " 1", "-0.0001", "0x10"])
def test_blpop_timeout_errors(pair, timeout):
    fill(pair)
    pair.check("BLPOP", "l", timeout)
    pair.check("BRPOP", "l", timeout)


def test_blpop_wrongtype(pair):
    pair.check("SET", "s", "v")
    fill(pair)
    pair.check("BLPOP", "s", "l", "0")
    pair.check("BLPOP", "l", "s", "0")


def test_brpoplpush_and_blmove_with_data(pair):
    fill(pair)
    pair.check("BRPOPLPUSH", "l", "m", "0")
    pair.check("BLMOVE", "l", "m", "LEFT", "RIGHT", "0")
    pair.check("BLMOVE", "l", "m", "LEFT", "UP", "0")
    pair.check("BLMOVE", "l", "m", "LEFT", "LEFT", "x")
    pair.check("BRPOPLPUSH", "l", "m", "-1")
    pair.check("LRANGE", "m", "0", "-1")


@pytest.mark.parametrize("args", [
    ("0", "1", "l", "LEFT"), ("0", "2", "nokey", "l", "RIGHT", "COUNT", "2"),
    ("-1", "1", "l", "LEFT"), ("x", "1", "l", "LEFT"), ("0", "0", "l", "LEFT"),
    ("x", "1", "l", "LEFT", "COUNT", "0"), ("0", "1", "l", "UP"),
])
def test_blmpop(pair, args):
    fill(pair)
    pair.check("BLMPOP", *args)
    pair.check("LRANGE", "l", "0", "-1")


# --- types and protocols ------------------------------------------------------------------

@pytest.mark.parametrize("cmd", [
    ("LPUSH", "s", "a"), ("RPUSH", "s", "a"), ("LPUSHX", "s", "a"), ("RPUSHX", "s", "a"),
    ("LPOP", "s"), ("RPOP", "s", "2"), ("LLEN", "s"), ("LRANGE", "s", "0", "-1"),
    ("LINDEX", "s", "0"), ("LSET", "s", "0", "x"), ("LINSERT", "s", "BEFORE", "a", "b"),
    ("LREM", "s", "0", "a"), ("LTRIM", "s", "0", "1"), ("LPOS", "s", "a"),
    ("RPOPLPUSH", "s", "l"), ("LMPOP", "1", "s", "LEFT"),
])
def test_list_commands_on_a_string_are_wrongtype(pair, cmd):
    pair.check("SET", "s", "v")
    pair.check(*cmd)


def test_string_commands_on_list(pair):
    fill(pair)
    pair.check("GET", "l")
    pair.check("APPEND", "l", "x")


def test_resp3_replies(pair):
    pair.both("HELLO", "3")
    fill(pair)
    pair.check("LPOP", "nokey")
    pair.check("LPOP", "nokey", "2")
    pair.check("LINDEX", "l", "100")
    pair.check("LPOS", "l", "zz")
    pair.check("LMPOP", "1", "nokey", "LEFT")
    pair.check("LMPOP", "1", "l", "LEFT", "COUNT", "2")
    pair.check("BLPOP", "l", "0")
    pair.check("RPOPLPUSH", "nokey", "m")
    pair.check("LRANGE", "l", "0", "-1")


def test_copy_and_rename_keep_list(pair):
    fill(pair)
    pair.check("COPY", "l", "l2")
    pair.check("RPUSH", "l", "more")
    pair.check("LRANGE", "l2", "0", "-1")
    pair.check("RENAME", "l2", "l3")
    pair.check("LRANGE", "l3", "0", "-1")
    pair.check("DEL", "l", "l3")
