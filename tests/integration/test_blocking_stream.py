"""Blocking XREAD / XREADGROUP against both servers with the same
assertions (see test_blocking.py): waiters served in arrival order, a
group's waiters sharing new entries, BLOCK timeouts measured, CLIENT
UNBLOCK, and a waiter that disconnects."""
import time

from support.resp import parse

from test_blocking import blocked_clients, client_id, clients, conn, wait_blocked  # noqa: F401


def test_xread_waiters_all_see_the_new_entry(conn, clients):
    conn.call("XADD", "s", "1-1", "a", "1")
    ws = []
    for i in range(3):
        w = clients()
        w.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
        wait_blocked(conn, i + 1)
        ws.append(w)
    conn.call("XADD", "s", "2-1", "b", "2")
    for w in ws:
        assert parse(w.read_reply()) == [[b"s", [[b"2-1", [b"b", b"2"]]]]]
    assert blocked_clients(conn) == 0


def test_group_waiters_take_turns_in_arrival_order(conn, clients):
    conn.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    ws = []
    for i in range(3):
        w = clients()
        w.send("XREADGROUP", "GROUP", "g", "c%d" % i, "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">")
        wait_blocked(conn, i + 1)
        ws.append(w)
    conn.call("MULTI")
    for i in range(1, 4):
        conn.call("XADD", "s", "%d-1" % i, "n", str(i))
    conn.call("EXEC")
    got = [parse(w.read_reply())[0][1] for w in ws]
    assert got == [[[b"1-1", [b"n", b"1"]]], [[b"2-1", [b"n", b"2"]]], [[b"3-1", [b"n", b"3"]]]]
    pending = parse(conn.call("XPENDING", "s", "g", "-", "+", "10"))
    assert [(p[0], p[1]) for p in pending] == [(b"1-1", b"c0"), (b"2-1", b"c1"), (b"3-1", b"c2")]


def test_group_waiter_blocks_again_when_another_took_the_entry(conn, clients):
    conn.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    w1, w2 = clients(), clients()
    w1.send("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(conn, 1)
    w2.send("XREADGROUP", "GROUP", "g", "b", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(conn, 2)
    conn.call("XADD", "s", "1-1", "x", "1")
    assert parse(w1.read_reply())[0][1] == [[b"1-1", [b"x", b"1"]]]
    assert blocked_clients(conn) == 1
    conn.call("XADD", "s", "2-1", "x", "2")
    assert parse(w2.read_reply())[0][1] == [[b"2-1", [b"x", b"2"]]]


def test_block_timeout_is_milliseconds(conn, clients):
    w = clients()
    t0 = time.monotonic()
    w.send("XREAD", "BLOCK", "300", "STREAMS", "s", "$")
    assert w.read_reply() == b"*-1\r\n"
    assert 0.25 <= time.monotonic() - t0 < 1.5
    w.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "100", "STREAMS", "s", ">")
    assert parse(w.read_reply()).message.startswith(b"NOGROUP")


def test_client_unblock_of_a_stream_waiter(conn, clients):
    conn.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    w = clients()
    wid = client_id(w)
    w.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(conn, 1)
    assert conn.call("CLIENT", "UNBLOCK", str(wid)) == b":1\r\n"
    assert w.read_reply() == b"*-1\r\n"
    w.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(conn, 1)
    conn.call("CLIENT", "UNBLOCK", str(wid), "ERROR")
    assert w.read_reply() == b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"


def test_waiter_that_disconnects_is_forgotten(conn, clients):
    conn.call("XADD", "s", "1-1", "a", "1")
    w = clients()
    w.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(conn, 1)
    w.close()
    deadline = time.monotonic() + 2
    while blocked_clients(conn) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert blocked_clients(conn) == 0
    assert conn.call("XADD", "s", "2-1", "a", "2") == b"$3\r\n2-1\r\n"
