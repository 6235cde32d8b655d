"""Differential tests of command propagation: both servers run with
appendonly yes, the same commands go to both, and the commands each wrote
to its incr file must be the same -- rewrites (relative expires to
PEXPIREAT/PXAT, blocking pops to their plain forms, INCRBYFLOAT to SET,
...), lazy-expiry DELs, MULTI/EXEC wrapping and SELECTs included.
Absolute millisecond timestamps may differ by a little."""
import time

import pytest

from support import rdbpayload as R
from support.aoffile import last_incr_commands
from support.resp import RespClient
from support.servers import Server, ours_kind, require

TS_SLACK_MS = 3000


def _same(a, b):
    if a == b:
        return True
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x == y:
            continue
        if x.isdigit() and y.isdigit() and len(x) >= 12 and abs(int(x) - int(y)) <= TS_SLACK_MS:
            continue
        return False
    return True


def run_both(steps, args=()):
    """steps: ("c", n, cmd...) call on connection n; ("s", n, cmd...) send
    without reading; ("r", n) read a reply; ("sleep", secs)."""
    streams = []
    for kind in ("redis", ours_kind()):
        require(kind)
        with Server(kind, ["--appendonly", "yes", "--appendfsync", "always",
                           "--enable-debug-command", "yes"] + list(args)) as srv:
            conns = [RespClient(port=srv.port) for _ in range(3)]
            replies = []
            for st in steps:
                if st[0] == "sleep":
                    time.sleep(st[1])
                elif st[0] == "c":
                    replies.append(conns[st[1]].call(*st[2:]))
                    if st is NO_ACTIVE_EXPIRE:
                        # the lazy-expiry cases rely on it: no background DELs
                        assert replies[-1] == b"+OK\r\n", replies[-1]
                elif st[0] == "s":
                    conns[st[1]].send(*st[2:])
                else:
                    replies.append(conns[st[1]].read_reply())
            time.sleep(0.05)
            streams.append((replies, [c for c in last_incr_commands(srv.dir) if c[0] != "#"]))
            for c in conns:
                c.close()
    (rr, real), (ro, ours) = streams
    assert ro == rr
    assert len(ours) == len(real), "ours %r\nreal %r" % (ours, real)
    for a, b in zip(real, ours):
        assert _same(a, b), "ours %r != real %r\nours %r\nreal %r" % (b, a, ours, real)
    return real


def c(*cmd):
    return ("c", 0) + cmd


def test_strings_and_expires_are_rewritten_as_redis_does():
    run_both([c("SET", "a", "1", "EX", "100"), c("SET", "b", "2", "PX", "100000", "GET"),
              c("SETEX", "d", "10", "v"), c("PSETEX", "d", "10000", "v"),
              c("GETEX", "d", "EX", "5"), c("GETEX", "d", "PXAT", "99999999999999"),
              c("GETEX", "d", "PERSIST"), c("GETEX", "d", "PERSIST"), c("GETSET", "d", "x"),
              c("GETDEL", "d"), c("GETDEL", "d"), c("EXPIRE", "a", "100"),
              c("EXPIREAT", "a", "99999999999", "NX"), c("EXPIREAT", "a", "99999999999", "XX"),
              c("PEXPIRE", "a", "5000", "GT"), c("PERSIST", "a"), c("EXPIRE", "a", "-1"),
              c("SET", "e", "1"), c("PEXPIREAT", "e", "1"), c("SET", "k", "v", "EXAT", "1"),
              c("SET", "k", "v"), c("INCRBYFLOAT", "f", "1.5"), c("INCRBYFLOAT", "f", "1e2"),
              c("MSET", "x", "1", "y", "2"), c("MSETNX", "x", "1"), c("INCR", "x"),
              c("APPEND", "x", "zz"), c("SETRANGE", "x", "0", "q"), c("SET", "n", "1", "NX")])


NO_ACTIVE_EXPIRE = c("DEBUG", "SET-ACTIVE-EXPIRE", "0")


def test_lazy_expiry_is_a_del_and_wraps_the_command_in_multi():
    run_both([NO_ACTIVE_EXPIRE, c("SET", "b", "2", "PX", "5"), ("sleep", 0.05), c("SET", "b", "3"),
              c("SET", "c", "1", "PX", "1"), ("sleep", 0.05), c("GET", "c"),
              c("SET", "d", "1", "PX", "1"), ("sleep", 0.05), c("DEL", "d")])


def test_lazy_expiry_with_lazyfree_lazy_expire_is_an_unlink():
    run_both([NO_ACTIVE_EXPIRE, c("SET", "c", "1", "PX", "1"), ("sleep", 0.05), c("GET", "c"),
              c("SET", "e", "1"), c("EXPIRE", "e", "-1")],
             args=["--lazyfree-lazy-expire", "yes"])


def test_blocking_pops_are_propagated_as_plain_pops():
    run_both([c("RPUSH", "l", "1", "2", "3"), c("BLPOP", "l", "0"), c("BRPOP", "l", "0"),
              c("BRPOPLPUSH", "l", "k", "0"), c("RPUSH", "k", "a"),
              c("BLMOVE", "k", "l", "LEFT", "RIGHT", "0"),
              c("BLMPOP", "0", "1", "l", "LEFT", "COUNT", "5"), c("RPUSH", "l", "a"),
              c("LMPOP", "1", "l", "RIGHT", "COUNT", "3"), c("LPOP", "nol"),
              c("ZADD", "z", "1", "a", "2", "b", "3", "c"), c("BZPOPMIN", "z", "0"),
              c("BZPOPMAX", "z", "0"), c("ZADD", "z", "1", "a", "2", "b"),
              c("BZMPOP", "0", "1", "z", "MIN", "COUNT", "5"), c("ZADD", "z", "1", "a"),
              c("ZMPOP", "1", "z", "MAX"), c("ZPOPMIN", "z")])


def test_blocked_clients_served_later_propagate_their_pop():
    run_both([("s", 1, "BLPOP", "l", "0"), ("s", 2, "BLMPOP", "0", "1", "m", "LEFT", "COUNT", "5"),
              ("sleep", 0.1), c("RPUSH", "l", "a", "b"), c("RPUSH", "m", "a", "b", "c"),
              ("r", 1), ("r", 2),
              ("s", 1, "BLMOVE", "x", "y", "LEFT", "RIGHT", "0"),
              ("s", 2, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "2"), ("sleep", 0.1),
              c("RPUSH", "x", "1"), c("ZADD", "z", "1", "a", "2", "b", "3", "c"),
              ("r", 1), ("r", 2), ("s", 1, "BZPOPMIN", "zz", "0"), ("sleep", 0.1),
              c("ZADD", "zz", "1", "a"), ("r", 1)])


def test_spop_hash_float_and_geo_rewrites():
    run_both([c("SADD", "s", "a"), c("SPOP", "s"), c("SADD", "s", "a"), c("SPOP", "s", "5"),
              c("SPOP", "s"), c("HSET", "h", "f", "1"), c("HINCRBYFLOAT", "h", "f", "1.25"),
              c("GEOADD", "g", "13.361389", "38.115556", "a"),
              c("GEOADD", "g", "NX", "CH", "13.361389", "38.115556", "a", "15", "37", "b"),
              c("GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYRADIUS", "500", "km")])


def test_sort_is_propagated_only_when_it_stores():
    run_both([c("RPUSH", "l", "3", "1", "2"), c("SORT", "l"), c("SORT", "l", "DESC", "STORE", "d"),
              c("SORT", "l", "LIMIT", "5", "5", "STORE", "d"), c("SORT", "l", "LIMIT", "5", "5", "STORE", "d"),
              c("SORT_RO", "l", "ALPHA"), c("SADD", "s", "b", "a"),
              c("EVAL", "return redis.call('SORT', KEYS[1], 'BY', 'nosort', 'STORE', KEYS[2])", "2", "s", "e")])


def test_selects_swapdb_move_and_flushes():
    run_both([c("SET", "a", "1"), c("SELECT", "2"), c("SET", "b", "1"), c("MOVE", "b", "3"),
              c("SELECT", "0"), c("COPY", "a", "a2", "DB", "4"), c("SWAPDB", "0", "1"),
              c("SELECT", "1"), c("RENAME", "a", "z"), c("FLUSHDB"), c("FLUSHDB"),
              c("FLUSHALL"), c("FLUSHALL"), c("DEL", "nokey"), c("GET", "nokey")])


STRING_PAYLOAD = R.payload(b"\x00" + R.string("v"))
FUTURE_MS = "99999999999999"


def test_restore_relative_ttl_is_propagated_absolute():
    p = STRING_PAYLOAD
    run_both([c("RESTORE", "a", "0", p), c("RESTORE", "b", "100000", p),
              c("RESTORE", "a", "100000", p, "REPLACE"),
              c("RESTORE", "d", "100000", p, "IDLETIME", "10"),
              c("RESTORE", "e", "100000", p, "replace", "FREQ", "5"),
              c("RESTORE", "f", "0", p, "REPLACE")])


def test_restore_absttl_is_propagated_as_sent():
    p = STRING_PAYLOAD
    run_both([c("RESTORE", "a", FUTURE_MS, p, "ABSTTL"),
              c("RESTORE", "a", FUTURE_MS, p, "absttl", "REPLACE"),
              c("RESTORE", "b", "0", p, "ABSTTL")])


def test_restore_ttl_in_the_past():
    # nothing is created; REPLACE of an existing key propagates its deletion
    p = STRING_PAYLOAD
    run_both([c("RESTORE", "a", "1", p, "ABSTTL"), c("RESTORE", "a", "1", p, "ABSTTL", "REPLACE"),
              c("SET", "a", "x"), c("RESTORE", "a", "1", p, "ABSTTL", "REPLACE"),
              c("SET", "a", "x"), c("RESTORE", "a", "1", p, "ABSTTL")])


def test_restore_ttl_in_the_past_with_lazyfree_lazy_server_del():
    p = STRING_PAYLOAD
    run_both([c("SET", "a", "x"), c("RESTORE", "a", "1", p, "ABSTTL", "REPLACE")],
             args=["--lazyfree-lazy-server-del", "yes"])


def test_transactions_propagate_as_multi_exec_when_more_than_one_command_writes():
    run_both([c("MULTI"), c("SET", "a", "1"), c("INCR", "a"), c("GET", "a"), c("EXPIRE", "a", "100"),
              c("EXEC"),
              # one write: no wrapping; none: nothing at all
              c("MULTI"), c("GET", "a"), c("SET", "b", "2"), c("EXEC"),
              c("MULTI"), c("GET", "a"), c("PING"), c("EXEC"),
              # runtime errors leave the other writes in
              c("MULTI"), c("LPUSH", "a", "x"), c("SET", "c", "3"), c("SELECT", "2"),
              c("SET", "d", "4"), c("EXEC"), c("SELECT", "0"),
              # aborted ones write nothing
              c("MULTI"), c("SET", "e", "5"), c("NOSUCH"), c("EXEC"),
              c("WATCH", "a"), c("SET", "a", "9"), c("MULTI"), c("SET", "f", "6"), c("EXEC")])
