"""Blocking sorted set pops (BZPOPMIN, BZPOPMAX, BZMPOP): clients parked on
keys until a ZADD or a timeout; run against both servers with the same
assertions.  A test waits for INFO blocked_clients before it acts."""
import time

import pytest

from support.resp import RespClient, parse


@pytest.fixture
def conn(server):
    with RespClient(port=server.port, timeout=5.0) as c:
        yield c


@pytest.fixture
def clients(server):
    opened = []

    def make():
        c = RespClient(port=server.port, timeout=5.0)
        opened.append(c)
        return c
    yield make
    for c in opened:
        c.close()


def blocked_clients(conn):
    info = conn.call("INFO", "clients").decode()
    return int(info.split("blocked_clients:")[1].split("\r\n")[0])


def wait_blocked(conn, n, timeout=2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if blocked_clients(conn) == n:
            return
        time.sleep(0.005)
    raise AssertionError("blocked_clients never reached %d" % n)


def test_bzpopmin_is_served_by_a_later_zadd(conn, clients):
    w = clients()
    w.send("BZPOPMIN", "z", "0")
    wait_blocked(conn, 1)
    assert conn.call("ZADD", "z", "2", "b", "1", "a") == b":2\r\n"
    assert w.read_reply() == b"*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert parse(conn.call("ZRANGE", "z", "0", "-1")) == [b"b"]
    assert blocked_clients(conn) == 0


def test_bzpopmax_takes_the_highest_score(conn, clients):
    w = clients()
    w.send("BZPOPMAX", "a", "z", "0")
    wait_blocked(conn, 1)
    conn.call("ZADD", "z", "1", "x", "2.5", "y")
    assert w.read_reply() == b"*3\r\n$1\r\nz\r\n$1\r\ny\r\n$3\r\n2.5\r\n"


def test_bzpop_deletes_the_key_it_empties(conn, clients):
    w = clients()
    w.send("BZPOPMIN", "z", "0")
    wait_blocked(conn, 1)
    conn.call("ZADD", "z", "1", "a")
    assert parse(w.read_reply()) == [b"z", b"a", b"1"]
    assert conn.call("EXISTS", "z") == b":0\r\n"


def test_zset_waiters_are_served_in_arrival_order(conn, clients):
    waiters = []
    for i in range(3):
        w = clients()
        w.send("BZPOPMIN", "z", "0")
        wait_blocked(conn, i + 1)
        waiters.append(w)
    conn.call("ZADD", "z", "1", "a", "2", "b", "3", "c")
    assert [parse(w.read_reply()) for w in waiters] == [
        [b"z", b"a", b"1"], [b"z", b"b", b"2"], [b"z", b"c", b"3"]]


def test_a_waiter_left_without_data_stays_blocked(conn, clients):
    first, second = clients(), clients()
    first.send("BZPOPMIN", "z", "0")
    wait_blocked(conn, 1)
    second.send("BZPOPMIN", "z", "0")
    wait_blocked(conn, 2)
    conn.call("ZADD", "z", "1", "a")
    assert parse(first.read_reply()) == [b"z", b"a", b"1"]
    assert blocked_clients(conn) == 1
    conn.call("ZADD", "z", "2", "b")
    assert parse(second.read_reply()) == [b"z", b"b", b"2"]


def test_bzmpop_is_served_with_its_count(conn, clients):
    w = clients()
    w.send("BZMPOP", "0", "2", "a", "z", "MAX", "COUNT", "2")
    wait_blocked(conn, 1)
    conn.call("ZADD", "z", "1", "a", "2", "b", "3", "c")
    assert w.read_reply() == (b"*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"
                              b"*2\r\n$1\r\nb\r\n$1\r\n2\r\n")
    assert parse(conn.call("ZRANGE", "z", "0", "-1")) == [b"a"]


def test_zincrby_creating_the_key_serves_a_waiter(conn, clients):
    w = clients()
    w.send("BZPOPMIN", "z", "0")
    wait_blocked(conn, 1)
    conn.call("ZINCRBY", "z", "5", "m")
    assert parse(w.read_reply()) == [b"z", b"m", b"5"]


def test_a_push_of_the_wrong_type_does_not_serve_a_zset_waiter(conn, clients):
    w = clients()
    w.send("BZPOPMIN", "z", "0.3")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "z", "x")
    assert blocked_clients(conn) == 1
    assert w.read_reply() == b"*-1\r\n"


@pytest.mark.parametrize("cmd", [
    ["BZPOPMIN", "z", "0.1"], ["BZPOPMAX", "z", "0.1"], ["BZMPOP", "0.1", "1", "z", "MIN"],
])
def test_timeout_replies_null_array(conn, cmd):
    start = time.monotonic()
    assert conn.call(*cmd) == b"*-1\r\n"
    assert 0.09 <= time.monotonic() - start < 1.0


@pytest.mark.parametrize("cmd", [
    ["BZPOPMIN", "z", "0.05"], ["BZPOPMAX", "z", "0.05"], ["BZMPOP", "0.05", "1", "z", "MAX"],
])
def test_timeout_under_resp3_is_null(conn, cmd):
    conn.call("HELLO", "3")
    assert conn.call(*cmd) == b"_\r\n"


def test_resp3_waiter_gets_a_double_score(conn, clients):
    w = clients()
    w.call("HELLO", "3")
    w.send("BZPOPMIN", "z", "0")
    wait_blocked(conn, 1)
    conn.call("ZADD", "z", "1.5", "a")
    assert w.read_reply() == b"*3\r\n$1\r\nz\r\n$1\r\na\r\n,1.5\r\n"


def test_resp3_bzmpop_waiter_gets_pairs_with_doubles(conn, clients):
    w = clients()
    w.call("HELLO", "3")
    w.send("BZMPOP", "0", "1", "z", "MIN")
    wait_blocked(conn, 1)
    conn.call("ZADD", "z", "2", "a")
    assert w.read_reply() == b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,2\r\n"
