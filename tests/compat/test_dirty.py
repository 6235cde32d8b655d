"""Differential tests of dirty counting: after every write command the
number of changes it added to INFO rdb_changes_since_last_save (Redis's
server.dirty) must match the real server's, including no-op writes that
add nothing.  Both servers run with --save "" so nothing resets it."""
import re

import pytest

# Each sequence runs on fresh servers; every command's reply and its dirty
# delta are compared.
SEQUENCES = {
    "sort": [
        ("RPUSH", "l", "3", "1", "2"), ("SORT", "l"), ("SORT_RO", "l"), ("SORT", "l", "STORE", "d"),
        ("SORT", "l", "LIMIT", "0", "2", "GET", "#", "GET", "x_*", "STORE", "d"),
        ("SORT", "l", "LIMIT", "9", "9", "STORE", "d"), ("SORT", "l", "LIMIT", "9", "9", "STORE", "d"),
        ("SORT", "nokey", "STORE", "l"), ("SADD", "s", "a"), ("SORT", "s", "STORE", "d"),
        ("SORT", "s", "BY", "nosort", "STORE", "d"),
    ],
    "strings": [
        ("SET", "s", "1"), ("SET", "s", "2", "NX"), ("SET", "s", "3", "XX"),
        ("SET", "nx", "1", "XX"), ("SET", "s", "4", "GET"), ("SET", "s", "5", "EX", "100"),
        ("SET", "s", "6", "KEEPTTL"), ("SETNX", "s", "x"), ("SETNX", "s2", "x"),
        ("SETEX", "s3", "100", "v"), ("PSETEX", "s3", "100000", "v"),
        ("GETSET", "s", "7"), ("GETSET", "new", "7"), ("GETDEL", "new"), ("GETDEL", "new"),
        ("GETEX", "s", "EX", "100"), ("GETEX", "s", "PERSIST"), ("GETEX", "s", "PERSIST"),
        ("GETEX", "s"), ("GETEX", "missing", "EX", "10"), ("GETEX", "s", "PXAT", "1"),
        ("MSET", "a", "1", "b", "2", "c", "3"), ("MSETNX", "a", "1", "z", "2"),
        ("MSETNX", "y", "1", "z", "2"), ("INCR", "a"), ("DECR", "a"), ("INCRBY", "a", "5"),
        ("DECRBY", "a", "5"), ("INCRBYFLOAT", "a", "1.5"), ("INCR", "y"),
        ("INCRBYFLOAT", "y", "abc"), ("APPEND", "b", "xy"), ("APPEND", "newa", ""),
        ("SETRANGE", "b", "1", "zz"), ("SETRANGE", "nosuch", "0", ""),
        ("SETRANGE", "b", "0", ""), ("SETRANGE", "nosuch2", "3", "x"),
        ("SET", "s", "8", "PX", "0"), ("SET", "s", "8", "EXAT", "1"),
    ],
    "lists": [
        ("LPUSH", "l", "a", "b", "c"), ("RPUSH", "l", "d", "e"), ("LPUSHX", "nol", "a"),
        ("RPUSHX", "l", "f", "g"), ("LPOP", "l"), ("RPOP", "l", "2"), ("LPOP", "nol"),
        ("LPOP", "l", "0"), ("LSET", "l", "0", "x"), ("LINSERT", "l", "BEFORE", "x", "y"),
        ("LINSERT", "l", "BEFORE", "nope", "y"), ("RPUSH", "l", "x", "x", "x"),
        ("LREM", "l", "2", "x"), ("LREM", "l", "0", "nope"), ("LTRIM", "l", "1", "-2"),
        ("LTRIM", "l", "0", "-1"), ("RPOPLPUSH", "l", "l2"), ("RPOPLPUSH", "nol", "l2"),
        ("LMOVE", "l2", "l", "LEFT", "RIGHT"), ("LMPOP", "2", "nol", "l", "LEFT", "COUNT", "2"),
        ("LMPOP", "1", "nol", "RIGHT"), ("BLPOP", "l", "0"), ("BRPOP", "l", "nol", "0"),
        ("RPUSH", "l", "1", "2", "3", "4"), ("BRPOPLPUSH", "l", "l3", "0"),
        ("BLMOVE", "l3", "l", "LEFT", "LEFT", "0"), ("BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "3"),
        ("LTRIM", "l", "5", "10"),
    ],
    "hashes": [
        ("HSET", "h", "a", "1", "b", "2"), ("HSET", "h", "a", "1", "c", "3"),
        ("HSETNX", "h", "a", "x"), ("HSETNX", "h", "d", "x"), ("HMSET", "h", "e", "1", "a", "9"),
        ("HDEL", "h", "a", "nope", "b"), ("HDEL", "noh", "a"), ("HINCRBY", "h", "c", "2"),
        ("HINCRBYFLOAT", "h", "c", "0.5"), ("HINCRBY", "h", "d", "1"), ("HDEL", "h", "c", "d", "e"),
    ],
    "sets": [
        ("SADD", "s", "a", "b", "c", "a"), ("SADD", "s", "a"), ("SREM", "s", "a", "zz"),
        ("SREM", "nos", "a"), ("SADD", "one", "x"), ("SPOP", "one"), ("SADD", "r", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
        ("~SPOP", "r"), ("~SPOP", "r", "2"), ("~SPOP", "r", "6"), ("SPOP", "nos"), ("SPOP", "s", "0"), ("SADD", "t", "b", "x"),
        ("SMOVE", "s", "t", "zz"), ("SMOVE", "t", "u", "x"), ("SINTERSTORE", "d", "s", "t"),
        ("SUNIONSTORE", "d", "s", "t"), ("SDIFFSTORE", "d", "s", "t"), ("SINTERSTORE", "d", "nos", "t"),
        ("SINTERSTORE", "d", "nos", "t"), ("~SPOP", "r", "100"), ("~SPOP", "s", "100"),
    ],
    "zsets": [
        ("ZADD", "z", "1", "a", "2", "b"), ("ZADD", "z", "1", "a", "3", "b", "4", "c"),
        ("ZADD", "z", "NX", "9", "a"), ("ZADD", "z", "XX", "CH", "9", "a"),
        ("ZADD", "z", "INCR", "1", "a"), ("ZINCRBY", "z", "2", "b"), ("ZREM", "z", "a", "nope"),
        ("ZADD", "z", "5", "d", "6", "e", "7", "f"), ("ZREMRANGEBYRANK", "z", "0", "0"),
        ("ZREMRANGEBYSCORE", "z", "5", "5"), ("ZREMRANGEBYLEX", "z", "[a", "[b"),
        ("ZREMRANGEBYLEX", "z", "[x", "[y"), ("ZPOPMIN", "z"), ("ZPOPMAX", "z", "2"),
        ("ZADD", "z", "1", "a", "2", "b", "3", "c"), ("ZMPOP", "1", "z", "MIN", "COUNT", "2"),
        ("ZMPOP", "1", "noz", "MIN"), ("BZPOPMIN", "z", "0"), ("ZADD", "z", "1", "a", "2", "b"),
        ("BZPOPMAX", "z", "0"), ("BZMPOP", "0", "1", "z", "MAX"), ("ZADD", "y", "1", "a", "2", "b"),
        ("ZADD", "x", "1", "b"), ("ZRANGESTORE", "d", "y", "0", "-1"),
        ("ZRANGESTORE", "d", "y", "5", "6"), ("ZUNIONSTORE", "d", "2", "x", "y"),
        ("ZINTERSTORE", "d", "2", "x", "y"), ("ZDIFFSTORE", "d", "2", "x", "y"),
        ("ZDIFFSTORE", "d", "2", "y", "y"), ("ZPOPMIN", "noz"),
    ],
    "geo": [
        ("GEOADD", "g", "13.361389", "38.115556", "a", "15.087269", "37.502669", "b"),
        ("GEOADD", "g", "CH", "13.361389", "38.115556", "a", "15.1", "37.5", "b"),
        ("GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYRADIUS", "500", "km"),
        ("GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "m", "STOREDIST"),
        ("GEORADIUS", "g", "15", "37", "500", "km", "STORE", "d2"),
        ("GEORADIUSBYMEMBER", "g", "a", "500", "km", "STOREDIST", "d3"),
    ],
    "keys": [
        ("MSET", "a", "1", "b", "2", "c", "3"), ("DEL", "a", "b", "nope"), ("UNLINK", "c", "nope"),
        ("SET", "a", "1"), ("RENAME", "a", "b"), ("SET", "a", "1"), ("RENAMENX", "a", "b"),
        ("RENAMENX", "b", "c"), ("COPY", "c", "d"), ("COPY", "c", "d"), ("COPY", "c", "d", "REPLACE"),
        ("MOVE", "d", "1"), ("MOVE", "c", "1"), ("EXPIRE", "c", "100"), ("EXPIRE", "c", "100", "NX"),
        ("PEXPIRE", "c", "100000"), ("EXPIREAT", "c", "99999999999"), ("PEXPIREAT", "c", "99999999999999"),
        ("PERSIST", "c"), ("PERSIST", "c"), ("EXPIRE", "nope", "10"), ("SET", "e", "1"),
        ("EXPIRE", "e", "-1"), ("SET", "e", "1"), ("PEXPIREAT", "e", "1"), ("SWAPDB", "0", "1"),
        ("SWAPDB", "0", "1"), ("FLUSHDB",), ("FLUSHDB",), ("SET", "x", "1"), ("SELECT", "1"),
        ("SET", "y", "1"), ("SELECT", "0"), ("FLUSHALL",), ("FLUSHALL",),
    ],
}


def dirty(conn):
    info = conn.call("INFO", "persistence").decode()
    return int(re.search(r"rdb_changes_since_last_save:(\d+)", info).group(1))


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_dirty_delta_matches_after_each_write(pair, name):
    pair.check("FLUSHALL")
    pair.check("SELECT", "0")
    for cmd in SEQUENCES[name]:
        before = dirty(pair.real), dirty(pair.ours)
        if cmd[0].startswith("~"):   # random reply: compare the effect only
            cmd = (cmd[0][1:],) + cmd[1:]
            pair.both(*cmd)
        else:
            pair.check(*cmd)
        real = dirty(pair.real) - before[0]
        ours = dirty(pair.ours) - before[1]
        assert ours == real, "%s: ours added %d, real %d" % (" ".join(cmd), ours, real)
    pair.check("FLUSHALL")


def test_dirty_counts_lazy_expiry_deletion(pair):
    pair.check("SET", "k", "v", "PX", "1")
    import time
    time.sleep(0.02)
    before = dirty(pair.real), dirty(pair.ours)
    pair.check("GET", "k")
    assert dirty(pair.ours) - before[1] == dirty(pair.real) - before[0]
