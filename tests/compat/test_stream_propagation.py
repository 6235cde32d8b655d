"""Stream commands in the AOF (and so the replication stream), compared
with what Redis 7.0 writes: group reads become XCLAIM ... FORCE JUSTID
LASTID (and XGROUP SETID ... ENTRIESREAD for NOACK), approximate trims
become exact ones with the resulting threshold, generated IDs become the
concrete ones."""
import time

from support.aoffile import last_incr_commands
from support.resp import RespClient, parse
from support.servers import Server, ours_kind, require

from test_aof_stream import c, run_both


def test_xadd_xtrim_xdel_xsetid_propagate_as_redis():
    run_both([c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-*", "b", "2"),
              c("XADD", "s", "2-*", "b", "3"), c("XADD", "s", "NOMKSTREAM", "3-1", "c", "1"),
              c("XADD", "n", "NOMKSTREAM", "3-1", "c", "1"),
              c("XADD", "s", "MAXLEN", "=", "3", "4-1", "d", "1"),
              c("XADD", "s", "MAXLEN", "~", "1", "5-*", "e", "1"),
              c("XTRIM", "s", "MAXLEN", "10"), c("XTRIM", "s", "MAXLEN", "2"),
              c("XTRIM", "s", "MINID", "~", "5", "LIMIT", "10"),
              c("XDEL", "s", "5-0", "9-9"), c("XDEL", "s", "9-9"),
              c("XSETID", "s", "99-0", "ENTRIESADDED", "40", "MAXDELETEDID", "50-0"),
              c("XADD", "s", "0-1", "x", "y")])


def test_approx_trim_propagates_exact_threshold():
    steps = [c("CONFIG", "SET", "stream-node-max-entries", "5")]
    steps += [c("XADD", "s", "%d-1" % i, "f", "v") for i in range(1, 40)]
    steps += [c("XADD", "s", "MAXLEN", "~", "12", "40-1", "f", "v"),
              c("XTRIM", "s", "MINID", "~", "33", "LIMIT", "5"),
              c("XTRIM", "s", "MINID", "~", "36")]
    run_both(steps)


def test_group_reads_propagate_xclaim_and_setid():
    run_both([c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-1", "b", "2"),
              c("XADD", "s", "3-1", "c", "3"),
              c("XGROUP", "CREATE", "s", "g", "0"),
              c("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"),
              c("XREADGROUP", "GROUP", "g", "c2", "NOACK", "COUNT", "1", "STREAMS", "s", ">"),
              c("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"),
              c("XREADGROUP", "GROUP", "g", "c3", "STREAMS", "s", ">"),
              c("XREADGROUP", "GROUP", "g", "c3", "STREAMS", "s", ">"),
              c("XACK", "s", "g", "1-1", "5-5"),
              c("XCLAIM", "s", "g", "c4", "0", "3-1"),
              c("XCLAIM", "s", "g", "c4", "0", "1-1", "LASTID", "9-9"),
              c("XAUTOCLAIM", "s", "g", "c5", "0", "0", "JUSTID"),
              c("XDEL", "s", "3-1"),
              c("XAUTOCLAIM", "s", "g", "c5", "0", "0"),
              c("XGROUP", "CREATECONSUMER", "s", "g", "c6"),
              c("XGROUP", "DELCONSUMER", "s", "g", "c5"),
              c("XGROUP", "SETID", "s", "g", "$"),
              c("XGROUP", "DESTROY", "s", "g"),
              c("XGROUP", "CREATE", "t", "g", "$", "MKSTREAM")])


def test_blocked_group_read_served_later_propagates_xclaim():
    run_both([c("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
              ("s", 1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
              ("s", 2, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
              ("sleep", 0.1),
              c("XADD", "s", "1-1", "a", "1"), ("r", 1), ("r", 2)])


def test_generated_id_is_propagated_concrete():
    require(ours_kind())
    with Server(ours_kind(), ["--appendonly", "yes", "--appendfsync", "always"]) as srv:
        conn = RespClient(port=srv.port)
        got = parse(conn.call("XADD", "s", "*", "a", "1"))
        conn.call("XADD", "s", "MAXLEN", "~", "0", "*", "a", "2")
        time.sleep(0.05)
        cmds = [x for x in last_incr_commands(srv.dir) if x[0] != "#"]
        conn.close()
    xadds = [x for x in cmds if x[0].lower() == b"xadd"]
    assert xadds[0] == [b"XADD", b"s", got, b"a", b"1"]
    assert xadds[1][:5] == [b"XADD", b"s", b"MAXLEN", b"=", b"0"]
    assert xadds[1][5] > got and xadds[1][6:] == [b"a", b"2"]


def test_stream_writes_inside_scripts_and_transactions():
    run_both([c("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
              c("EVAL", "redis.call('XADD', KEYS[1], '5-*', 'a', '1') "
                        "redis.call('XADD', KEYS[1], 'MAXLEN', '~', '0', '6-*', 'b', '2') "
                        "return redis.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', KEYS[1], '>')",
                "1", "s"),
              c("MULTI"), c("XADD", "s", "7-*", "c", "3"),
              c("XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "s", ">"),
              c("XACK", "s", "g", "5-0"), c("EXEC")])


def test_blocked_noack_group_read_served_later_propagates_as_redis():
    run_both([c("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
              ("s", 1, "XREADGROUP", "GROUP", "g", "c", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"),
              ("sleep", 0.1),
              c("XADD", "s", "1-1", "a", "1"), ("r", 1),
              c("XGROUP", "DESTROY", "s", "g")])
