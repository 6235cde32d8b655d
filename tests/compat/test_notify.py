"""Differential tests for keyspace notifications (notify.pyx and the calls
in every command): the same commands on both servers, with a subscriber to
'__key*@*__:*' on each, must produce the same replies and the same stream
of messages, in the same order."""
import time

import pytest

from support.pair import Pair
from support.resp import parse
from support.servers import Server, ours_kind

END = "__keyspace@0__:<end>"
UNCHECKED = ("~",)     # prefix: a command whose replies may differ (random members)


def _notifier(pair):
    """A function notify(flags, *commands) that runs the commands on both
    servers with notify-keyspace-events set to flags and returns the
    message stream (required identical), and a closer."""
    sub = pair.connect()
    sub.check("PSUBSCRIBE", "__key*@*__:*")

    def run(flags, *commands, settle=0.0):
        pair.check("CONFIG", "SET", "notify-keyspace-events", flags)
        for cmd in commands:
            if isinstance(cmd, (int, float)):
                time.sleep(cmd)
            elif cmd[0] == "~":
                pair.both(*cmd[1:])
            else:
                pair.check(*cmd)
        time.sleep(settle)
        pair.check("PUBLISH", END, "end")
        streams = []
        for conn in (sub.real, sub.ours):
            got = []
            while True:
                msg = parse(conn.read_reply())
                if msg[2] == END.encode():
                    break
                got.append(tuple(msg[2:]))
            streams.append(got)
        assert streams[1] == streams[0], "ours %r != real %r" % (streams[1], streams[0])
        return streams[0]

    def close():
        pair.check("CONFIG", "SET", "notify-keyspace-events", "")
        sub.close()
    return run, close


@pytest.fixture
def notify(pair):
    run, close = _notifier(pair)
    yield run
    close()


@pytest.fixture(scope="module")
def debug_servers():
    """A pair of servers that accept DEBUG (to turn active expiry off)."""
    servers = [Server(kind, args=["--enable-debug-command", "yes"]).start()
               for kind in ("redis", ours_kind())]
    yield servers
    for s in servers:
        s.stop()


@pytest.fixture
def lazy_notify(debug_servers):
    """notify() on servers whose keys expire only when a command touches
    them (active expiry off)."""
    pair = Pair(*debug_servers)
    pair.check("FLUSHALL")
    pair.check("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    run, close = _notifier(pair)
    yield run
    close()
    pair.check("DEBUG", "SET-ACTIVE-EXPIRE", "1")
    pair.close()


# --- configuration -------------------------------------------------------------

@pytest.mark.parametrize("flags", ["", "K", "E", "KEA", "AKE", "g$lshzxetKE", "KEAmn", "Ex",
                                   "Kd", "xeK", "AEKmnd", "$"])
def test_config_get_shows_flags_as_redis(pair, flags):
    pair.check("CONFIG", "SET", "notify-keyspace-events", flags)
    pair.check("CONFIG", "GET", "notify-keyspace-events")
    pair.check("CONFIG", "SET", "notify-keyspace-events", "")


def test_config_rejects_unknown_class(pair):
    pair.check("CONFIG", "SET", "notify-keyspace-events", "KEq")


def test_off_publishes_nothing(notify):
    assert notify("", ("SET", "k", "v"), ("DEL", "k"), ("GET", "k")) == []


# --- classes and channels ------------------------------------------------------------

def test_keyspace_only(notify):
    assert notify("K$", ("SET", "k", "v")) == [(b"__keyspace@0__:k", b"set")]


def test_keyevent_only(notify):
    assert notify("E$", ("SET", "k", "v")) == [(b"__keyevent@0__:set", b"k")]


def test_class_filter(notify):
    notify("Kl", ("SET", "s", "v"), ("LPUSH", "l", "a"), ("DEL", "s"))


def test_other_database_in_channel_name(notify, pair):
    notify("KEA", ("SELECT", "3"), ("SET", "k", "v"), ("DEL", "k"), ("SELECT", "0"))


def test_new_key_events(notify):
    notify("KEn", ("SET", "k", "v"), ("SET", "k", "w"), ("LPUSH", "l", "a"), ("HSET", "h", "f", "v"),
           ("SADD", "s", "m"), ("ZADD", "z", "1", "m"), ("APPEND", "a", "x"), ("INCR", "i"),
           ("RENAME", "k", "k2"), ("COPY", "k2", "k3"))


def test_keymiss_events(notify):
    notify("KEm", ("GET", "nokey"), ("EXISTS", "nokey"), ("TYPE", "nokey"), ("TTL", "nokey"),
           ("LRANGE", "nol", "0", "-1"), ("HGET", "noh", "f"), ("SMEMBERS", "nos"),
           ("ZRANGE", "noz", "0", "-1"), ("MGET", "a", "b"), ("STRLEN", "x"),
           ("OBJECT", "ENCODING", "nokey"), ("SET", "k", "v"), ("GET", "k"), ("DEL", "nokey"))


def test_binary_key(notify):
    notify("KEA", ("SET", b"k\x00\r\n\xff", "v"), ("DEL", b"k\x00\r\n\xff"))


# --- per command family ---------------------------------------------------------------

ALL = "KEA"


def test_string_commands(notify):
    notify(ALL, ("SET", "k", "v"), ("SET", "k", "v", "EX", "100"), ("SET", "k", "v", "NX"),
           ("SET", "k", "v", "XX", "GET"), ("SETNX", "n", "1"), ("SETNX", "n", "2"),
           ("SETEX", "e", "100", "v"), ("PSETEX", "p", "100000", "v"), ("GETSET", "k", "w"),
           ("MSET", "a", "1", "b", "2"), ("MSETNX", "c", "1", "d", "2"), ("MSETNX", "c", "1"),
           ("INCR", "i"), ("DECR", "i"), ("INCRBY", "i", "5"), ("DECRBY", "i", "2"),
           ("INCRBYFLOAT", "f", "1.5"), ("APPEND", "k", "xx"), ("APPEND", "new", "yy"),
           ("SETRANGE", "k", "1", "zz"), ("SETRANGE", "sr", "2", "q"), ("SETRANGE", "k", "0", ""),
           ("SETRANGE", "none", "0", ""), ("GETDEL", "a"), ("GETDEL", "a"),
           ("GETEX", "b", "EX", "100"), ("GETEX", "b", "PERSIST"), ("GETEX", "b", "PERSIST"),
           ("GETEX", "b", "PXAT", "1"), ("GETEX", "c"), ("GET", "k"), ("INCR", "k"))


def test_generic_commands(notify):
    notify(ALL, ("SET", "a", "1"), ("SET", "b", "2"), ("DEL", "a", "b", "c"), ("SET", "a", "1"),
           ("UNLINK", "a"), ("SET", "x", "1"), ("EXPIRE", "x", "100"), ("PEXPIRE", "x", "100000"),
           ("EXPIREAT", "x", "99999999999"), ("EXPIRE", "x", "100", "NX"), ("PERSIST", "x"),
           ("PERSIST", "x"), ("EXPIRE", "x", "-1"), ("SET", "y", "1"), ("PEXPIREAT", "y", "1"),
           ("SET", "r", "1"), ("RENAME", "r", "r2"), ("SET", "r3", "x"), ("RENAME", "r2", "r3"),
           ("RENAMENX", "r3", "r4"), ("SET", "r5", "1"), ("RENAMENX", "r4", "r5"),
           ("RENAME", "r4", "r4"), ("COPY", "r4", "c1"), ("COPY", "r4", "c1"),
           ("COPY", "r4", "c1", "REPLACE"), ("COPY", "r4", "c2", "DB", "2"),
           ("MOVE", "c1", "1"), ("MOVE", "r4", "2"), ("TOUCH", "r5"), ("EXISTS", "r5"),
           ("RENAME", "missing", "m2"))


def test_dump_restore(notify, pair):
    pair.check("RPUSH", "l", "a", "b")
    dump = parse(pair.check("DUMP", "l"))
    notify(ALL, ("RESTORE", "l2", "0", dump), ("RESTORE", "l2", "0", dump, "REPLACE"),
           ("RESTORE", "l3", "100000", dump), ("RESTORE", "l2", "1", dump, "REPLACE", "ABSTTL"),
           ("RESTORE", "l4", "1", dump, "ABSTTL"))


def test_list_commands(notify):
    notify(ALL, ("LPUSH", "l", "a", "b"), ("RPUSH", "l", "c"), ("LPUSHX", "l", "x"),
           ("RPUSHX", "l", "y"), ("LPUSHX", "none", "x"), ("RPUSHX", "none", "x"),
           ("LINSERT", "l", "BEFORE", "c", "z"), ("LINSERT", "l", "AFTER", "nope", "z"),
           ("LSET", "l", "0", "q"), ("LREM", "l", "0", "z"), ("LREM", "l", "0", "nope"),
           ("LTRIM", "l", "0", "3"), ("LTRIM", "l", "0", "-1"), ("LPOP", "l"), ("RPOP", "l"),
           ("LPOP", "l", "0"), ("RPOP", "l", "5"), ("LPOP", "l"),
           ("RPUSH", "s", "1", "2", "3"), ("LMOVE", "s", "d", "LEFT", "RIGHT"),
           ("RPOPLPUSH", "s", "d"), ("LMOVE", "s", "d", "RIGHT", "LEFT"), ("LMOVE", "s", "d", "LEFT", "LEFT"),
           ("LMOVE", "d", "d", "LEFT", "RIGHT"),
           ("RPUSH", "m", "1", "2"), ("LMPOP", "2", "x", "m", "LEFT", "COUNT", "5"),
           ("RPUSH", "b", "1", "2"), ("BLPOP", "b", "0"), ("BRPOP", "b", "0"),
           ("RPUSH", "b", "1"), ("BLMOVE", "b", "b2", "LEFT", "LEFT", "0"),
           ("BRPOPLPUSH", "b2", "b3", "0"), ("BLMPOP", "0", "1", "b3", "RIGHT"),
           ("RPUSH", "t", "a"), ("LTRIM", "t", "5", "10"), ("LTRIM", "none", "0", "1"))


def test_blocked_pop_served_by_push(notify, pair):
    waiter = pair.connect()
    try:
        waiter.real.send("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0")
        waiter.ours.send("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0")
        time.sleep(0.1)
        notify(ALL, ("RPUSH", "src", "v"), 0.1)
        assert waiter.real.read_reply() == waiter.ours.read_reply()
    finally:
        waiter.close()


def test_hash_commands(notify):
    notify(ALL, ("HSET", "h", "a", "1", "b", "2"), ("HSET", "h", "a", "1"), ("HMSET", "h", "c", "3"),
           ("HSETNX", "h", "a", "9"), ("HSETNX", "h", "d", "4"), ("HINCRBY", "h", "n", "5"),
           ("HINCRBYFLOAT", "h", "f", "1.5"), ("HDEL", "h", "a", "nope"), ("HDEL", "h", "nope"),
           ("HDEL", "h", "b", "c", "d", "n", "f"), ("HDEL", "none", "x"), ("HGET", "h", "a"))


def test_set_commands(notify):
    notify(ALL, ("SADD", "s", "a", "b", "c"), ("SADD", "s", "a"), ("SREM", "s", "a", "zz"),
           ("SREM", "s", "zz"), ("SMOVE", "s", "d", "b"), ("SMOVE", "s", "d", "nope"),
           ("SADD", "d", "c"), ("SMOVE", "s", "d", "c"), ("SADD", "p", "1", "2", "3", "4"),
           UNCHECKED + ("SPOP", "p"), ("SPOP", "p", "0"), UNCHECKED + ("SPOP", "p", "1"),
           UNCHECKED + ("SPOP", "p", "10"),
           ("SADD", "p", "1"), ("SPOP", "p"),
           ("SADD", "x", "1", "2"), ("SADD", "y", "2", "3"),
           ("SINTERSTORE", "o", "x", "y"), ("SUNIONSTORE", "o", "x", "y"), ("SDIFFSTORE", "o", "x", "y"),
           ("SINTERSTORE", "o", "x", "missing"), ("SINTERSTORE", "o", "x", "missing"),
           ("SDIFFSTORE", "o2", "x", "x"), ("SUNIONSTORE", "o3", "x"), ("SDIFFSTORE", "o3", "x", "x"))


def test_sort_store(notify):
    notify(ALL, ("RPUSH", "l", "3", "1", "2"), ("SORT", "l", "STORE", "d"), ("SORT", "l", "STORE", "d"),
           ("SORT", "l", "LIMIT", "5", "5", "STORE", "d"), ("SORT", "l", "LIMIT", "5", "5", "STORE", "d"),
           ("SET", "s", "x"), ("SORT", "l", "GET", "#", "STORE", "s"), ("SORT", "l"),
           ("SORT", "nokey", "STORE", "l"), ("SORT", "l", "BY", "w_*", "GET", "h_*->f"))


def test_sort_pattern_lookups_report_misses(notify):
    notify("KEAm", ("RPUSH", "l", "a", "b", "c"), ("SET", "w_a", "1"), ("HSET", "h_b", "f", "2"),
           ("SORT", "l", "BY", "w_*", "GET", "h_*->f", "GET", "#", "GET", "nostar"),
           ("SORT", "l", "BY", "nosort", "GET", "w_*"), ("SORT_RO", "l", "ALPHA", "BY", "h_*->f"))


def test_sort_store_reports_a_new_key(notify):
    notify("KEAn", ("RPUSH", "l", "3", "1"), ("SORT", "l", "STORE", "d"), ("SORT", "l", "STORE", "d"),
           ("SORT", "l", "LIMIT", "0", "0", "STORE", "d"))


def test_sort_store_over_an_expired_destination(lazy_notify):
    lazy_notify("KEAm", ("RPUSH", "l", "1"), ("SET", "d", "v", "PX", "20"), ("SET", "e", "v", "PX", "20"),
                0.1, ("SORT", "l", "STORE", "d"), ("SORT", "nokey", "STORE", "e"))


def test_set_pop_with_count_leaving_few_members(notify, pair):
    # random members: the replies differ, the events must not
    pair.check("SADD", "p", *[str(i) for i in range(20)])
    notify(ALL, UNCHECKED + ("SPOP", "p", "18"), ("SCARD", "p"), UNCHECKED + ("SPOP", "p", "1"),
           UNCHECKED + ("SPOP", "p", "1"))


def test_zset_commands(notify):
    notify(ALL, ("ZADD", "z", "1", "a", "2", "b", "3", "c"), ("ZADD", "z", "1", "a"),
           ("ZADD", "z", "NX", "5", "a"), ("ZADD", "z", "XX", "9", "a"),
           ("ZADD", "z", "INCR", "1", "b"), ("ZADD", "z", "XX", "CH", "1", "nope"),
           ("ZINCRBY", "z", "2", "c"), ("ZREM", "z", "a", "nope"), ("ZREM", "z", "nope"),
           ("ZADD", "z", "1", "m1", "2", "m2", "3", "m3", "4", "m4", "5", "m5"),
           ("ZREMRANGEBYSCORE", "z", "1", "2"), ("ZREMRANGEBYSCORE", "z", "100", "200"),
           ("ZREMRANGEBYRANK", "z", "0", "0"), ("ZREMRANGEBYRANK", "z", "50", "60"),
           ("ZADD", "lex", "0", "a", "0", "b", "0", "c"), ("ZREMRANGEBYLEX", "lex", "[a", "[b"),
           ("ZREMRANGEBYLEX", "lex", "-", "+"),
           ("ZPOPMIN", "z"), ("ZPOPMAX", "z"), ("ZPOPMIN", "z", "0"), ("ZPOPMAX", "z", "10"),
           ("ZPOPMIN", "z"), ("ZADD", "b", "1", "x", "2", "y"), ("BZPOPMIN", "b", "0"),
           ("BZPOPMAX", "b", "0"), ("ZADD", "m", "1", "x"), ("ZMPOP", "1", "m", "MIN"),
           ("ZADD", "m", "1", "x", "2", "y"), ("BZMPOP", "0", "1", "m", "MAX", "COUNT", "5"))


def test_zset_store_commands(notify):
    notify(ALL, ("ZADD", "x", "1", "a", "2", "b"), ("ZADD", "y", "2", "b", "3", "c"),
           ("ZUNIONSTORE", "o", "2", "x", "y"), ("ZINTERSTORE", "o", "2", "x", "y"),
           ("ZDIFFSTORE", "o", "2", "x", "y"), ("ZDIFFSTORE", "o", "2", "x", "x"),
           ("ZDIFFSTORE", "o", "2", "x", "x"), ("ZRANGESTORE", "r", "x", "0", "-1"),
           ("ZRANGESTORE", "r", "x", "5", "6"), ("ZINTERSTORE", "o", "2", "x", "missing"),
           ("ZUNIONSTORE", "o", "1", "missing"))


def test_geo_commands(notify):
    notify(ALL, ("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"),
           ("GEOADD", "g", "NX", "13.361389", "38.115556", "Palermo"),
           ("GEOADD", "g", "XX", "CH", "13.1", "38.1", "Palermo"),
           ("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"),
           ("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "ASC"),
           ("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d2"),
           ("GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "d3"),
           ("GEORADIUS", "g", "0", "0", "1", "km", "STORE", "d3"),
           ("GEORADIUS", "none", "0", "0", "1", "km", "STORE", "d2"),
           ("GEOPOS", "g", "Palermo"))


def test_wrongtype_and_errors_publish_nothing(notify):
    notify(ALL, ("SET", "s", "v"), ("LPUSH", "s", "a"), ("HSET", "s", "f", "v"), ("SADD", "s", "m"),
           ("ZADD", "s", "1", "m"), ("INCR", "s"), ("LSET", "none", "0", "x"))


# --- expiry -------------------------------------------------------------------------------

def test_lazy_expiry_reports_expired(lazy_notify):
    lazy_notify("KEA", ("SET", "k", "v", "PX", "30"), ("HSET", "h", "f", "v"), ("PEXPIRE", "h", "30"),
           ("SADD", "s", "m"), ("PEXPIRE", "s", "30"), ("SET", "d", "v", "PX", "30"), 0.1,
           ("GET", "k"), ("HGET", "h", "f"), ("SADD", "s", "n"), ("DEL", "d"))


def test_active_expiry_reports_expired(notify):
    notify("Ex", ("SET", "k", "v", "PX", "30"), settle=1.0)
    notify("KEA", ("SADD", "s", "m"), ("PEXPIRE", "s", "30"), settle=1.0)


def test_expired_class_only(lazy_notify):
    lazy_notify("Kx", ("SET", "k", "v", "PX", "20"), ("SET", "j", "v"), 0.1, ("GET", "k"), ("DEL", "j"))


def test_flush_publishes_nothing(notify):
    notify(ALL, ("SET", "k", "v"), ("FLUSHDB",), ("SET", "k", "v"), ("FLUSHALL",), ("SWAPDB", "0", "1"))


def test_expired_key_read_is_also_a_miss(lazy_notify):
    lazy_notify("KEAm", ("SET", "k", "v", "PX", "20"), 0.1, ("GET", "k"), ("EXISTS", "k"))


@pytest.mark.parametrize("cmd", [
    ("GETRANGE", "x", "0", "1"), ("GETDEL", "x"), ("GETEX", "x", "EX", "10"), ("GETSET", "x", "v"),
    ("SET", "x", "v", "GET"), ("LCS", "x", "y"), ("DUMP", "x"), ("PTTL", "x"), ("EXPIRETIME", "x"),
    ("TOUCH", "x"), ("COPY", "x", "y"), ("RENAME", "x", "y"), ("MOVE", "x", "1"),
    ("EXPIRE", "x", "10"), ("PERSIST", "x"), ("DEL", "x"),
    ("LINDEX", "x", "0"), ("LLEN", "x"), ("LPOS", "x", "a"), ("LPOP", "x"), ("RPOPLPUSH", "x", "y"),
    ("LMPOP", "1", "x", "LEFT"), ("LINSERT", "x", "BEFORE", "a", "b"), ("LREM", "x", "0", "a"),
    ("LTRIM", "x", "0", "1"), ("LPUSHX", "x", "a"),
    ("HLEN", "x"), ("HGETALL", "x"), ("HEXISTS", "x", "f"), ("HSTRLEN", "x", "f"), ("HMGET", "x", "f"),
    ("HRANDFIELD", "x"), ("HKEYS", "x"), ("HDEL", "x", "f"), ("HINCRBY", "x", "f", "1"),
    ("SISMEMBER", "x", "m"), ("SMISMEMBER", "x", "m"), ("SCARD", "x"), ("SRANDMEMBER", "x"),
    ("SINTER", "x", "y"), ("SUNION", "x", "y"), ("SDIFF", "x", "y"), ("SINTERCARD", "2", "x", "y"),
    ("SINTERSTORE", "d", "x", "y"), ("SUNIONSTORE", "d", "x", "y"), ("SPOP", "x"), ("SREM", "x", "m"),
    ("SMOVE", "x", "y", "m"),
    ("ZSCORE", "x", "m"), ("ZCARD", "x"), ("ZRANK", "x", "m"), ("ZCOUNT", "x", "0", "1"),
    ("ZRANGEBYSCORE", "x", "0", "1"), ("ZRANDMEMBER", "x"), ("ZUNION", "2", "x", "y"),
    ("ZINTER", "2", "x", "y"), ("ZDIFF", "2", "x", "y"), ("ZMSCORE", "x", "m"), ("ZPOPMIN", "x"),
    ("ZUNIONSTORE", "d", "2", "x", "y"), ("ZRANGESTORE", "d", "x", "0", "1"), ("ZREM", "x", "m"),
    ("ZMPOP", "1", "x", "MIN"), ("ZLEXCOUNT", "x", "-", "+"), ("ZSCAN", "x", "0"),
    ("GEOPOS", "x", "m"), ("GEODIST", "x", "a", "b"), ("GEOHASH", "x", "m"),
    ("GEOSEARCH", "x", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
    ("GEOSEARCHSTORE", "d", "x", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
    ("GEORADIUS", "x", "0", "0", "1", "km"), ("SSCAN", "x", "0"), ("HSCAN", "x", "0"),
    ("OBJECT", "FREQ", "x"), ("SDIFFSTORE", "d", "x", "y"), ("ZINTERSTORE", "d", "2", "x", "y"),
    ("ZDIFFSTORE", "d", "2", "x", "y"), ("GEORADIUS", "x", "0", "0", "1", "km", "STORE", "d"),
    ("SORT", "x"), ("SORT_RO", "x", "BY", "w_*"), ("SORT", "x", "STORE", "d"),
])
def test_keymiss_on_missing_key(notify, cmd):
    notify("KEAm", cmd)


@pytest.mark.parametrize("cmd", [("SCAN", "0"), ("RANDOMKEY",), ("KEYS", "*"), ("DBSIZE",),
                                 ("EXISTS", "k"), ("TTL", "k"), ("TYPE", "k"), ("TOUCH", "k"),
                                 ("OBJECT", "ENCODING", "k"), ("SET", "k", "w"), ("INCR", "k"),
                                 ("APPEND", "k", "x"), ("RENAME", "k", "j"), ("EXPIRE", "k", "9"),
                                 ("COPY", "k", "j"), ("MOVE", "k", "1"), ("DEL", "k")])
def test_commands_meeting_an_expired_key(lazy_notify, cmd):
    lazy_notify("KEAm", ("SET", "k", "v", "PX", "20"), 0.1, cmd)


def test_more_string_and_zset_cases(notify):
    notify(ALL, ("SET", "k", "v", "PXAT", "1"), ("GET", "k"), ("SET", "k", "v", "KEEPTTL"),
           ("SETEX", "k", "-1", "v"), ("SET", "n", "5", "EX", "100"), ("INCR", "n"),
           ("ZADD", "z", "GT", "5", "a"), ("ZADD", "z", "GT", "1", "a"), ("ZADD", "z", "LT", "9", "a"),
           ("ZADD", "z", "GT", "CH", "7", "a"), ("ZINCRBY", "z", "0", "a"),
           ("HSET", "h", "f", "v"), ("HSET", "h", "f", "v"), ("SADD", "s", "a"), ("SADD", "s", "a"))
