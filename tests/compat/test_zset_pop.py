"""Differential tests for ZMPOP, the non-blocking paths of BZPOPMIN,
BZPOPMAX and BZMPOP, ZRANDMEMBER and ZSCAN: replies compared byte for
byte with a real redis-server (random picks by shape and membership)."""
import pytest

from support.resp import Error, parse


def _zset(pair, key="z", n=5, big=False):
    args = []
    for i in range(n):
        args += [str(i * 1.5 - 2), "m%d" % i]
    if big:
        args += ["100", "x" * 100]
    pair.check("ZADD", key, *args)


ENCODINGS = pytest.mark.parametrize("big", [False, True], ids=["listpack", "skiplist"])


# --- ZMPOP -------------------------------------------------------------------------

@ENCODINGS
@pytest.mark.parametrize("where", ["MIN", "MAX", "min", "max"])
def test_zmpop_pops_one_by_default(pair, big, where):
    _zset(pair, big=big)
    pair.check("ZMPOP", "1", "z", where)
    pair.check("ZRANGE", "z", "0", "-1", "WITHSCORES")


@ENCODINGS
@pytest.mark.parametrize("count", ["1", "2", "6", "100"])
def test_zmpop_count(pair, big, count):
    _zset(pair, big=big)
    pair.check("ZMPOP", "1", "z", "MAX", "COUNT", count)
    pair.check("ZRANGE", "z", "0", "-1", "WITHSCORES")


def test_zmpop_takes_the_first_existing_key(pair):
    _zset(pair, "b")
    _zset(pair, "c", 2)
    pair.check("ZMPOP", "3", "a", "b", "c", "MIN", "COUNT", "2")
    pair.check("ZRANGE", "b", "0", "-1")


def test_zmpop_deletes_the_emptied_key(pair):
    _zset(pair, n=2)
    pair.check("ZMPOP", "1", "z", "MIN", "COUNT", "5")
    pair.check("EXISTS", "z")


def test_zmpop_on_missing_keys_is_a_null_array(pair):
    pair.check("ZMPOP", "2", "a", "b", "MIN")


def test_zmpop_resp3(pair):
    pair.both("HELLO", "3")
    _zset(pair)
    pair.check("ZMPOP", "1", "z", "MIN", "COUNT", "2")
    pair.check("ZMPOP", "1", "nokey", "MIN")


def test_zmpop_wrongtype(pair):
    pair.check("SET", "s", "v")
    _zset(pair)
    pair.check("ZMPOP", "2", "s", "z", "MIN")
    pair.check("ZMPOP", "2", "nokey", "s", "MIN")


@pytest.mark.parametrize("args", [
    ["0", "z", "MIN"], ["-1", "z", "MIN"], ["x", "z", "MIN"], ["2", "z", "MIN"],
    ["1", "z"], ["1", "z", "MID"], ["1", "z", "MIN", "COUNT"],
    ["1", "z", "MIN", "COUNT", "0"], ["1", "z", "MIN", "COUNT", "-1"],
    ["1", "z", "MIN", "COUNT", "x"], ["1", "z", "MIN", "COUNT", "1", "COUNT", "1"],
    ["1", "z", "MIN", "foo"], ["9223372036854775807", "z", "MIN"],
])
def test_zmpop_argument_errors(pair, args):
    _zset(pair)
    pair.check("ZMPOP", *args)


# --- BZPOPMIN / BZPOPMAX / BZMPOP with data present -------------------------------------

@ENCODINGS
@pytest.mark.parametrize("cmd", ["BZPOPMIN", "BZPOPMAX"])
def test_bzpop_pops_at_once_when_data_is_there(pair, big, cmd):
    _zset(pair, "b", big=big)
    pair.check(cmd, "a", "b", "0")
    pair.check("ZRANGE", "b", "0", "-1", "WITHSCORES")


@pytest.mark.parametrize("cmd", ["BZPOPMIN", "BZPOPMAX"])
def test_bzpop_resp3(pair, cmd):
    pair.both("HELLO", "3")
    _zset(pair)
    pair.check(cmd, "z", "0")


def test_bzpop_deletes_the_emptied_key(pair):
    _zset(pair, n=1)
    pair.check("BZPOPMIN", "z", "0")
    pair.check("EXISTS", "z")


def test_bzpop_wrongtype(pair):
    pair.check("SET", "s", "v")
    pair.check("BZPOPMIN", "nokey", "s", "0")
    pair.check("BZPOPMAX", "s", "0")


@pytest.mark.parametrize("timeout", ["-1", "x", "1e400", "inf", "nan", ""])
def test_bzpop_timeout_errors(pair, timeout):
    pair.check("BZPOPMIN", "z", timeout)
    pair.check("BZMPOP", timeout, "1", "z", "MIN")


def test_bzmpop_pops_at_once_when_data_is_there(pair):
    _zset(pair)
    pair.check("BZMPOP", "0", "2", "nokey", "z", "MAX", "COUNT", "3")
    pair.check("ZRANGE", "z", "0", "-1", "WITHSCORES")


@pytest.mark.parametrize("args", [
    ["0", "0", "z", "MIN"], ["0", "x", "z", "MIN"], ["0", "1", "z"],
    ["0", "1", "z", "MIN", "COUNT", "0"], ["x", "0", "z", "MIN"], ["x", "1", "z", "MIN"],
])
def test_bzmpop_argument_errors(pair, args):
    pair.check("BZMPOP", *args)


# --- ZRANDMEMBER ---------------------------------------------------------------------

def _random_reply(pair, *cmd):
    real, ours = pair.both(*cmd)
    return parse(real), parse(ours)


@ENCODINGS
def test_zrandmember_without_count_is_a_member(pair, big):
    _zset(pair, big=big)
    members = set(pair.check_parsed("ZRANGE", "z", "0", "-1"))
    r, o = _random_reply(pair, "ZRANDMEMBER", "z")
    assert r in members and o in members


def test_zrandmember_missing_key(pair):
    pair.check("ZRANDMEMBER", "nokey")
    pair.check("ZRANDMEMBER", "nokey", "5")
    pair.check("ZRANDMEMBER", "nokey", "-5", "WITHSCORES")
    pair.both("HELLO", "3")
    pair.check("ZRANDMEMBER", "nokey")


@ENCODINGS
@pytest.mark.parametrize("count", ["6", "100"])
def test_zrandmember_count_at_least_size_is_the_whole_set(pair, big, count):
    _zset(pair, big=big)
    pair.check_unordered("ZRANDMEMBER", "z", count)
    pair.check_unordered("ZRANDMEMBER", "z", count, "WITHSCORES")


@ENCODINGS
@pytest.mark.parametrize("count", ["1", "2", "4"])
def test_zrandmember_positive_count_gives_distinct_members(pair, big, count):
    _zset(pair, n=20, big=big)
    members = set(pair.check_parsed("ZRANGE", "z", "0", "-1"))
    r, o = _random_reply(pair, "ZRANDMEMBER", "z", count)
    assert len(r) == len(o) == int(count)
    assert len(set(o)) == len(o) and set(o) <= members


@ENCODINGS
def test_zrandmember_negative_count_allows_repeats(pair, big):
    _zset(pair, n=3, big=big)
    members = set(pair.check_parsed("ZRANGE", "z", "0", "-1"))
    r, o = _random_reply(pair, "ZRANDMEMBER", "z", "-50")
    assert len(r) == len(o) == 50
    assert set(o) <= members


@pytest.mark.parametrize("resp", ["2", "3"])
@pytest.mark.parametrize("count", ["-7", "3"])
def test_zrandmember_withscores_pairs_members_with_their_scores(pair, resp, count):
    _zset(pair, n=10)
    flat = pair.ours.call_parsed("ZRANGE", "z", "0", "-1", "WITHSCORES")
    scores = dict(zip(flat[::2], flat[1::2]))
    pair.both("HELLO", resp)
    real, ours = pair.both("ZRANDMEMBER", "z", count, "WITHSCORES")
    assert real[:4] == ours[:4]     # same array header
    o = parse(ours)
    pairs = o if resp == "3" else [o[i:i + 2] for i in range(0, len(o), 2)]
    assert len(pairs) == abs(int(count))
    for m, s in pairs:
        assert float(s) == float(scores[m])


def test_zrandmember_zero_count(pair):
    _zset(pair)
    pair.check("ZRANDMEMBER", "z", "0")
    pair.check("ZRANDMEMBER", "z", "0", "WITHSCORES")


@pytest.mark.parametrize("args", [
    ["x"], ["1.5"], ["1", "foo"], ["1", "WITHSCORES", "x"],
    ["-9223372036854775808"], ["9223372036854775807", "WITHSCORES"],
    ["-4611686018427387904", "WITHSCORES"], ["99999999999999999999"],
])
def test_zrandmember_argument_errors(pair, args):
    _zset(pair)
    pair.check("ZRANDMEMBER", "z", *args)


def test_zrandmember_wrongtype(pair):
    pair.check("SET", "s", "v")
    pair.check("ZRANDMEMBER", "s")
    pair.check("ZRANDMEMBER", "s", "1")
    pair.check("ZRANDMEMBER", "s", "0")


# --- ZSCAN ---------------------------------------------------------------------------

def test_zscan_listpack_returns_everything_at_once(pair):
    pair.check("ZADD", "z", "1", "a", "2.5", "b", "-0", "c", "0.1", "d", "inf", "e", "1e20", "f")
    pair.check("ZSCAN", "z", "0")
    pair.check("ZSCAN", "z", "0", "MATCH", "[ab]*", "COUNT", "1")


def test_zscan_skiplist_collects_everything(pair):
    args = []
    for i in range(300):
        args += [str(i / 7), "m%d" % i]
    pair.check("ZADD", "z", *args)
    results = []
    for conn in (pair.real, pair.ours):
        cursor, seen = b"0", {}
        while True:
            cursor, items = conn.call_parsed("ZSCAN", "z", cursor, "COUNT", "20")
            seen.update(zip(items[::2], items[1::2]))
            if cursor == b"0":
                break
        results.append(seen)
    assert results[0] == results[1]
    assert len(results[0]) == 300


def test_zscan_skiplist_match_and_scores_as_text(pair):
    pair.check("ZADD", "z", "0.1", "a" * 80, "3", "b1", "-inf", "b2", "1e20", "c")
    pair.check_unordered("ZSCAN", "z", "0", "COUNT", "100")
    pair.check_unordered("ZSCAN", "z", "0", "MATCH", "b*", "COUNT", "100")


def test_zscan_missing_key_and_wrongtype(pair):
    pair.check("ZSCAN", "nokey", "0")
    pair.check("SET", "s", "v")
    pair.check("ZSCAN", "s", "0")


@pytest.mark.parametrize("args", [
    ["x"], ["0", "TYPE", "zset"], ["0", "COUNT", "0"], ["0", "COUNT", "x"],
    ["0", "MATCH"], ["0", "foo", "bar"], [" 1"],
])
def test_zscan_argument_errors(pair, args):
    _zset(pair)
    pair.check("ZSCAN", "z", *args)


def test_zscan_resp3(pair):
    pair.both("HELLO", "3")
    _zset(pair)
    pair.check("ZSCAN", "z", "0")


def test_zpop_count_zero_still_checks_the_type(pair):
    pair.check("SET", "s", "v")
    pair.check("ZPOPMIN", "s", "0")
    pair.check("ZPOPMAX", "nokey", "0")
