"""Differential tests for ZUNION ZINTER ZDIFF, their STORE forms and
ZINTERCARD (t_zset_setops): every reply is compared byte for byte with a
real redis-server."""
import pytest


def _setup(pair):
    pair.check("ZADD", "a", "1", "x", "2", "y", "3", "z")
    pair.check("ZADD", "b", "10", "y", "20", "z", "30", "w")
    pair.check("ZADD", "c", "0.5", "z", "7", "v")
    pair.check("SADD", "s", "x", "z", "q")
    pair.check("SADD", "si", "1", "2", "3")


# --- argument errors -------------------------------------------------------------

@pytest.mark.parametrize("cmd", ["ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD"])
@pytest.mark.parametrize("numkeys", ["0", "-1", "x", "3", "99999999999999999999"])
def test_numkeys_errors(pair, cmd, numkeys):
    pair.check(cmd, numkeys, "a", "b")


@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
@pytest.mark.parametrize("numkeys", ["0", "-1", "x", "3"])
def test_store_numkeys_errors(pair, cmd, numkeys):
    pair.check("SET", "d", "v")
    pair.check(cmd, "d", numkeys, "a", "b")
    pair.check("GET", "d")


@pytest.mark.parametrize("cmd", ["ZUNION", "ZINTER", "ZUNIONSTORE", "ZINTERSTORE"])
@pytest.mark.parametrize("opts", [
    ["WEIGHTS"], ["WEIGHTS", "1"], ["WEIGHTS", "1", "2", "3"], ["WEIGHTS", "x", "1"],
    ["WEIGHTS", "nan", "1"], ["WEIGHTS", " 1", "1"], ["WEIGHTS", "", "1"],
    ["WEIGHTS", "1e400", "1"], ["AGGREGATE"], ["AGGREGATE", "avg"], ["FOO"],
    ["LIMIT", "1"], ["WITHSCORES", "x"],
])
def test_option_errors(pair, cmd, opts):
    _setup(pair)
    args = ["d"] if cmd.endswith("STORE") else []
    pair.check(cmd, *args, "2", "a", "b", *opts)


@pytest.mark.parametrize("opts", [["WITHSCORES"], ["WEIGHTS", "1", "2"], ["AGGREGATE", "SUM"]])
def test_zdiff_rejects_union_options(pair, opts):
    _setup(pair)
    pair.check("ZDIFF", "2", "a", "b", *opts)
    pair.check("ZDIFFSTORE", "d", "2", "a", "b", *opts)


@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
def test_store_rejects_withscores(pair, cmd):
    _setup(pair)
    pair.check(cmd, "d", "2", "a", "b", "WITHSCORES")
    pair.check("EXISTS", "d")


@pytest.mark.parametrize("cmd", ["ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD"])
def test_wrongtype_input(pair, cmd):
    _setup(pair)
    pair.check("SET", "str", "v")
    pair.check("RPUSH", "l", "v")
    pair.check(cmd, "2", "a", "str")
    pair.check(cmd, "2", "l", "missing")


def test_wrongtype_is_checked_before_options(pair):
    pair.check("SET", "str", "v")
    pair.check("ZUNION", "1", "str", "WEIGHTS", "x")
    pair.check("ZUNIONSTORE", "d", "1", "str", "AGGREGATE", "bad")


# --- results -----------------------------------------------------------------------

@pytest.mark.parametrize("cmd", ["ZUNION", "ZINTER", "ZDIFF"])
@pytest.mark.parametrize("keys", [["a"], ["a", "b"], ["b", "a"], ["a", "b", "c"],
                                  ["a", "missing"], ["missing", "a"], ["a", "a"],
                                  ["a", "s"], ["s", "a"], ["s", "si"], ["si", "s", "a"]])
def test_results_with_scores(pair, cmd, keys):
    _setup(pair)
    pair.check(cmd, str(len(keys)), *keys, "WITHSCORES")
    pair.check(cmd, str(len(keys)), *keys)


@pytest.mark.parametrize("cmd", ["ZUNION", "ZINTER"])
@pytest.mark.parametrize("aggr", ["SUM", "MIN", "MAX", "sum", "min", "max"])
@pytest.mark.parametrize("weights", [None, ["2", "0.5", "-1"], ["0", "0", "0"], ["inf", "-inf", "1"]])
def test_weights_and_aggregate(pair, cmd, aggr, weights):
    _setup(pair)
    pair.check("ZADD", "c", "3", "y", "4", "x")
    opts = ["AGGREGATE", aggr]
    if weights:
        opts = ["WEIGHTS", *weights, *opts]
    pair.check(cmd, "3", "a", "b", "c", *opts, "WITHSCORES")
    pair.check(cmd + "STORE", "d", "3", "a", "b", "c", *opts)
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")


def test_repeated_options_last_wins(pair):
    _setup(pair)
    pair.check("ZUNION", "2", "a", "b", "WEIGHTS", "1", "2", "WEIGHTS", "3", "4",
               "AGGREGATE", "MIN", "AGGREGATE", "MAX", "WITHSCORES", "WITHSCORES")


@pytest.mark.parametrize("cmd", ["ZUNION", "ZINTER"])
def test_infinities_cancel_to_zero(pair, cmd):
    pair.check("ZADD", "p", "inf", "m", "-inf", "n", "inf", "o", "0", "z")
    pair.check("ZADD", "q", "-inf", "m", "inf", "n", "inf", "o", "5", "z")
    pair.check(cmd, "2", "p", "q", "WITHSCORES")
    pair.check(cmd, "2", "p", "q", "WEIGHTS", "0", "1", "WITHSCORES")
    pair.check(cmd, "2", "p", "q", "WEIGHTS", "-1", "1", "WITHSCORES")
    pair.check(cmd, "2", "p", "q", "AGGREGATE", "MIN", "WITHSCORES")
    pair.check(cmd, "2", "p", "q", "WEIGHTS", "0", "0", "AGGREGATE", "MAX", "WITHSCORES")


def test_sum_order_follows_input_sizes(pair):
    pair.check("ZADD", "a", "0.1", "x")
    pair.check("ZADD", "b", "0.2", "x", "1", "y")
    pair.check("ZADD", "c", "0.3", "x", "1", "y", "1", "z")
    for keys in (["c", "b", "a"], ["a", "b", "c"], ["b", "c", "a"]):
        pair.check("ZUNION", "3", *keys, "WITHSCORES")
        pair.check("ZINTER", "3", *keys, "WITHSCORES")


def test_equal_scores_order_by_member(pair):
    pair.check("ZADD", "a", "1", "b", "1", "a", "1", "c", "1", "aa")
    pair.check("SADD", "s", "d", "a", "10", "2")
    pair.check("ZUNION", "2", "a", "s", "WITHSCORES")


@pytest.mark.parametrize("proto", ["2", "3"])
def test_resp3_withscores(pair, proto):
    _setup(pair)
    pair.both("HELLO", proto)
    pair.check("ZUNION", "2", "a", "b", "WITHSCORES")
    pair.check("ZINTER", "2", "a", "s", "WITHSCORES")
    pair.check("ZDIFF", "2", "a", "b", "WITHSCORES")
    pair.check("ZUNION", "2", "missing", "nothere", "WITHSCORES")
    pair.check("ZDIFF", "1", "missing")


def test_zdiff_first_minus_others(pair):
    _setup(pair)
    pair.check("ZDIFF", "3", "a", "b", "s", "WITHSCORES")
    pair.check("ZDIFF", "2", "s", "a", "WITHSCORES")
    pair.check("ZDIFF", "2", "a", "a")
    pair.check("ZDIFF", "2", "missing", "a")


# --- ZINTERCARD --------------------------------------------------------------------

@pytest.mark.parametrize("keys", [["a"], ["a", "b"], ["a", "b", "c"], ["a", "s"],
                                  ["a", "missing"], ["a", "a"], ["s", "si"]])
def test_zintercard(pair, keys):
    _setup(pair)
    pair.check("ZINTERCARD", str(len(keys)), *keys)


@pytest.mark.parametrize("limit", ["0", "1", "2", "100", "-1", "x", "99999999999999999999"])
def test_zintercard_limit(pair, limit):
    _setup(pair)
    pair.check("ZADD", "big", *[v for i in range(50) for v in (str(i), f"m{i}")])
    pair.check("ZADD", "big2", *[v for i in range(40) for v in (str(i), f"m{i}")])
    pair.check("ZINTERCARD", "2", "big", "big2", "LIMIT", limit)
    pair.check("ZINTERCARD", "1", "a", "LIMIT", limit)


@pytest.mark.parametrize("opts", [["LIMIT"], ["LIMIT", "1", "X"], ["WITHSCORES"],
                                  ["WEIGHTS", "1"], ["AGGREGATE", "SUM"]])
def test_zintercard_option_errors(pair, opts):
    _setup(pair)
    pair.check("ZINTERCARD", "1", "a", *opts)


# --- the STORE forms -----------------------------------------------------------------

@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
def test_store_replies_cardinality(pair, cmd):
    _setup(pair)
    pair.check(cmd, "d", "2", "a", "b")
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")
    pair.check(cmd, "d", "2", "a", "s")
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")


@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
def test_store_empty_result_deletes_destination(pair, cmd):
    _setup(pair)
    pair.check("SET", "d", "old")
    pair.check(cmd, "d", "2", "missing", "nothere")
    pair.check("EXISTS", "d")
    pair.check(cmd, "d", "2", "missing", "nothere")


@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
@pytest.mark.parametrize("old", [["SET", "d", "v"], ["RPUSH", "d", "v"], ["HSET", "d", "f", "v"],
                                 ["ZADD", "d", "9", "old"]])
def test_store_overwrites_any_type(pair, cmd, old):
    _setup(pair)
    pair.check(*old)
    pair.check("EXPIRE", "d", "100")
    pair.check(cmd, "d", "2", "a", "c")
    pair.check("TYPE", "d")
    pair.check("TTL", "d")
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")


@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
def test_store_destination_can_be_an_input(pair, cmd):
    _setup(pair)
    pair.check(cmd, "a", "2", "a", "b")
    pair.check("ZRANGE", "a", "0", "-1", "WITHSCORES")


@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
@pytest.mark.parametrize("n", [1, 127, 128, 129, 300])
def test_store_encoding_follows_size(pair, cmd, n):
    pair.check("ZADD", "big", *[v for i in range(n) for v in (str(i), f"m{i}")])
    pair.check("OBJECT", "ENCODING", "big")
    pair.check("ZADD", "other", "1", "zzz")
    pair.check(cmd, "d", "2", "big", "other" if cmd != "ZINTERSTORE" else "big")
    pair.check("OBJECT", "ENCODING", "d")
    pair.check("ZCARD", "d")


@pytest.mark.parametrize("cmd", ["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
@pytest.mark.parametrize("size", [64, 65])
def test_store_encoding_follows_member_length(pair, cmd, size):
    pair.check("ZADD", "z", "1", "x" * size, "2", "short")
    pair.check("OBJECT", "ENCODING", "z")
    pair.check("ZADD", "y", "1", "short")
    pair.check(cmd, "d", "2", "z", "y")
    pair.check("OBJECT", "ENCODING", "d")
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")


def test_store_encoding_after_shrinking(pair):
    pair.check("ZADD", "big", *[v for i in range(200) for v in (str(i), f"m{i}")])
    pair.check("ZADD", "few", "1", "m1", "2", "m2")
    pair.check("ZINTERSTORE", "d", "2", "big", "few")
    pair.check("OBJECT", "ENCODING", "d")


def test_store_encoding_respects_config(pair):
    pair.check("CONFIG", "SET", "zset-max-listpack-entries", "2")
    try:
        pair.check("ZADD", "z", "1", "a", "2", "b", "3", "c")
        pair.check("ZUNIONSTORE", "d", "1", "z")
        pair.check("OBJECT", "ENCODING", "d")
        pair.check("ZDIFFSTORE", "d", "2", "z", "z")
        pair.check("ZINTERSTORE", "d", "1", "z", "WEIGHTS", "0")
        pair.check("OBJECT", "ENCODING", "d")
        pair.check("CONFIG", "SET", "zset-max-listpack-entries", "0")
        pair.check("ZUNIONSTORE", "d", "1", "z")
        pair.check("OBJECT", "ENCODING", "d")
    finally:
        pair.check("CONFIG", "SET", "zset-max-listpack-entries", "128")


def test_store_from_plain_sets(pair):
    pair.check("SADD", "s1", "1", "2", "3")
    pair.check("SADD", "s2", "b", "3", "a")
    pair.check("ZUNIONSTORE", "d", "2", "s1", "s2", "WEIGHTS", "2", "3")
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")
    pair.check("OBJECT", "ENCODING", "d")
    pair.check("ZINTERSTORE", "d", "2", "s1", "s2")
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")
    pair.check("ZDIFFSTORE", "d", "2", "s1", "s2")
    pair.check("ZRANGE", "d", "0", "-1", "WITHSCORES")


def test_skiplist_inputs(pair):
    pair.check("ZADD", "big", *[v for i in range(200) for v in (str(i * 0.5), f"m{i}")])
    pair.check("SADD", "hs", *[f"m{i}" for i in range(0, 300, 3)])
    pair.check("ZINTER", "2", "big", "hs", "WITHSCORES")
    pair.check("ZUNION", "2", "big", "hs", "WITHSCORES")
    pair.check("ZDIFF", "2", "big", "hs", "WITHSCORES")
    pair.check("ZINTERCARD", "2", "big", "hs")


def test_sum_order_for_equal_sizes(pair):
    pair.check("ZADD", "a", "0.1", "x", "1", "p")
    pair.check("ZADD", "b", "0.2", "x", "1", "q")
    pair.check("ZADD", "c", "0.3", "x", "1", "r")
    for keys in (["c", "b", "a"], ["a", "b", "c"], ["b", "c", "a"]):
        pair.check("ZUNION", "3", *keys, "WITHSCORES")
        pair.check("ZINTER", "3", *keys, "WITHSCORES")
