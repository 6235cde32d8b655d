"""Blocking commands: clients parked on keys until a push, a timeout, a
CLIENT UNBLOCK or a disconnect; run against both servers with the same
assertions.  A test waits for INFO blocked_clients before it acts, so the
order of events does not depend on timing."""
import time

import pytest

from support.resp import RespClient, parse


@pytest.fixture
def conn(server):
    with RespClient(port=server.port, timeout=5.0) as c:
        if b"not implemented" in c.call("RPUSH", "probe", "x"):
            pytest.skip("list commands are not implemented yet")
        c.call("DEL", "probe")
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


def client_id(c):
    return parse(c.call("CLIENT", "ID"))


def test_blpop_is_served_by_a_later_push(conn, clients):
    w = clients()
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    assert conn.call("LPUSH", "k", "v") == b":1\r\n"
    assert w.read_reply() == b"*2\r\n$1\r\nk\r\n$1\r\nv\r\n"
    assert conn.call("EXISTS", "k") == b":0\r\n"
    assert blocked_clients(conn) == 0


def test_waiters_are_served_in_arrival_order(conn, clients):
    waiters = []
    for i in range(3):
        w = clients()
        w.send("BLPOP", "k", "0")
        wait_blocked(conn, i + 1)
        waiters.append(w)
    assert conn.call("RPUSH", "k", "a", "b", "c") == b":3\r\n"
    assert [parse(w.read_reply()) for w in waiters] == [[b"k", b"a"], [b"k", b"b"], [b"k", b"c"]]


def test_a_waiter_takes_only_what_it_asked_for(conn, clients):
    w = clients()
    w.send("BRPOP", "k", "0")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "k", "a", "b", "c")
    assert parse(w.read_reply()) == [b"k", b"c"]
    assert parse(conn.call("LRANGE", "k", "0", "-1")) == [b"a", b"b"]


def test_timeout_replies_null_array_after_the_timeout(conn):
    start = time.monotonic()
    assert conn.call("BLPOP", "k", "0.1") == b"*-1\r\n"
    elapsed = time.monotonic() - start
    assert 0.09 <= elapsed < 1.0


def test_timeout_of_blmove_and_brpoplpush_is_a_null_array_too(conn):
    assert conn.call("BLMOVE", "a", "b", "LEFT", "RIGHT", "0.05") == b"*-1\r\n"
    assert conn.call("BRPOPLPUSH", "a", "b", "0.05") == b"*-1\r\n"
    assert conn.call("BLMPOP", "0.05", "1", "a", "LEFT") == b"*-1\r\n"


def test_timeout_under_resp3_is_null(conn):
    conn.call("HELLO", "3")
    assert conn.call("BLPOP", "k", "0.05") == b"_\r\n"


def test_pipelined_command_runs_after_the_blocked_one_is_served(conn, clients):
    w = clients()
    w.send_raw(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n")
    wait_blocked(conn, 1)
    # the PING waits behind the blocked BLPOP
    w.sock.settimeout(0.1)
    with pytest.raises(OSError):
        w.sock.recv(1)
    w.sock.settimeout(5.0)
    w.send("ECHO", "later")
    conn.call("RPUSH", "k", "v")
    assert parse(w.read_reply()) == [b"k", b"v"]
    assert w.read_reply() == b"+PONG\r\n"
    assert w.read_reply() == b"$5\r\nlater\r\n"


def test_pipelined_blocking_command_after_a_served_one_blocks_again(conn, clients):
    w = clients()
    w.send_raw(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n" * 2)
    wait_blocked(conn, 1)
    conn.call("RPUSH", "k", "a")
    assert parse(w.read_reply()) == [b"k", b"a"]
    wait_blocked(conn, 1)
    conn.call("RPUSH", "k", "b")
    assert parse(w.read_reply()) == [b"k", b"b"]


def test_disconnected_waiter_does_not_take_the_data(conn, clients):
    w = clients()
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    w.close()
    wait_blocked(conn, 0)
    conn.call("RPUSH", "k", "v")
    assert parse(conn.call("LRANGE", "k", "0", "-1")) == [b"v"]


def test_client_unblock_timeout_gives_the_timeout_reply(conn, clients):
    w = clients()
    wid = client_id(w)
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    assert conn.call("CLIENT", "UNBLOCK", wid, "TIMEOUT") == b":1\r\n"
    assert w.read_reply() == b"*-1\r\n"
    assert w.call("PING") == b"+PONG\r\n"
    assert blocked_clients(conn) == 0


def test_client_unblock_error_gives_unblocked_error(conn, clients):
    w = clients()
    wid = client_id(w)
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    assert conn.call("CLIENT", "UNBLOCK", wid, "error") == b":1\r\n"
    assert w.read_reply() == b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"
    assert blocked_clients(conn) == 0


def test_client_unblock_default_reason_is_timeout(conn, clients):
    w = clients()
    wid = client_id(w)
    w.send("BRPOP", "k", "0")
    wait_blocked(conn, 1)
    assert conn.call("CLIENT", "UNBLOCK", wid) == b":1\r\n"
    assert w.read_reply() == b"*-1\r\n"


def test_client_unblock_of_a_client_not_blocked_is_0(conn):
    assert conn.call("CLIENT", "UNBLOCK", client_id(conn)) == b":0\r\n"
    assert conn.call("CLIENT", "UNBLOCK", "999999", "ERROR") == b":0\r\n"


def test_client_unblock_argument_errors(conn):
    assert conn.call("CLIENT", "UNBLOCK", "abc") == \
        b"-ERR value is not an integer or out of range\r\n"
    assert conn.call("CLIENT", "UNBLOCK", "abc", "foo") == \
        b"-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"
    assert conn.call("CLIENT", "UNBLOCK", "1", "timeout", "x") == \
        b"-ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.\r\n"
    assert conn.call("CLIENT", "UNBLOCK") == \
        b"-ERR wrong number of arguments for 'client|unblock' command\r\n"


def test_command_info_of_client_unblock(conn):
    info = parse(conn.call("COMMAND", "INFO", "client|unblock"))[0]
    assert info[:6] == [b"client|unblock", -3, [b"admin", b"noscript", b"loading", b"stale"], 0, 0, 0]
    assert info[6] == [b"@admin", b"@slow", b"@dangerous", b"@connection"]


def test_served_blmove_feeds_the_next_waiter(conn, clients):
    mover = clients()
    mover.send("BLMOVE", "src", "mid", "LEFT", "RIGHT", "0")
    wait_blocked(conn, 1)
    popper = clients()
    popper.send("BLPOP", "mid", "0")
    wait_blocked(conn, 2)
    conn.call("RPUSH", "src", "x")
    assert mover.read_reply() == b"$1\r\nx\r\n"
    assert parse(popper.read_reply()) == [b"mid", b"x"]
    assert conn.call("EXISTS", "src", "mid") == b":0\r\n"


def test_brpoplpush_waiter_is_served(conn, clients):
    w = clients()
    w.send("BRPOPLPUSH", "src", "dst", "0")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "src", "a", "b")
    assert w.read_reply() == b"$1\r\nb\r\n"
    assert parse(conn.call("LRANGE", "dst", "0", "-1")) == [b"b"]


def test_rename_onto_a_waited_key_serves_the_waiter(conn, clients):
    w = clients()
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "tmp", "v")
    assert conn.call("RENAME", "tmp", "k") == b"+OK\r\n"
    assert parse(w.read_reply()) == [b"k", b"v"]


def test_move_into_the_waited_db_serves_the_waiter(conn, clients):
    w = clients()
    w.call("SELECT", "1")
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "k", "v")
    assert conn.call("MOVE", "k", "1") == b":1\r\n"
    assert parse(w.read_reply()) == [b"k", b"v"]


def test_copy_onto_a_waited_key_serves_the_waiter(conn, clients):
    w = clients()
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "src", "v")
    assert conn.call("COPY", "src", "k") == b":1\r\n"
    assert parse(w.read_reply()) == [b"k", b"v"]
    assert parse(conn.call("LRANGE", "src", "0", "-1")) == [b"v"]


def test_swapdb_serves_waiters_of_both_dbs(conn, clients):
    w0 = clients()
    w0.send("BLPOP", "a", "0")
    wait_blocked(conn, 1)
    w1 = clients()
    w1.call("SELECT", "1")
    w1.send("BLPOP", "b", "0")
    wait_blocked(conn, 2)
    conn.call("RPUSH", "b", "x")
    conn.call("SELECT", "1")
    conn.call("RPUSH", "a", "y")
    assert conn.call("SWAPDB", "0", "1") == b"+OK\r\n"
    assert parse(w0.read_reply()) == [b"a", b"y"]
    assert parse(w1.read_reply()) == [b"b", b"x"]


def test_renaming_another_type_onto_the_key_keeps_the_waiter_blocked(conn, clients):
    w = clients()
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    conn.call("SET", "s", "str")
    conn.call("RENAME", "s", "k")
    conn.call("PING")
    assert blocked_clients(conn) == 1
    conn.call("DEL", "k")
    conn.call("RPUSH", "k", "v")
    assert parse(w.read_reply()) == [b"k", b"v"]


def test_blpop_on_several_keys_takes_the_first_non_empty(conn):
    conn.call("RPUSH", "k2", "x")
    conn.call("RPUSH", "k3", "y")
    assert parse(conn.call("BLPOP", "k1", "k2", "k3", "0")) == [b"k2", b"x"]


def test_blpop_on_several_keys_is_served_by_whichever_gets_data(conn, clients):
    w = clients()
    w.send("BLPOP", "k1", "k2", "k3", "0")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "k3", "z")
    assert parse(w.read_reply()) == [b"k3", b"z"]
    assert blocked_clients(conn) == 0
    conn.call("RPUSH", "k1", "a")
    assert parse(conn.call("LRANGE", "k1", "0", "-1")) == [b"a"]


def test_blocking_pop_on_a_string_is_wrongtype(conn):
    conn.call("SET", "s", "v")
    assert conn.call("BLPOP", "s", "0") == \
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"


def test_info_counts_blocked_clients(conn, clients):
    assert blocked_clients(conn) == 0
    a, b = clients(), clients()
    bid = client_id(b)
    a.send("BLPOP", "k", "0")
    b.send("BRPOP", "j", "10")
    wait_blocked(conn, 2)
    info = conn.call("INFO", "clients")
    assert b"clients_in_timeout_table:1\r\n" in info
    conn.call("RPUSH", "k", "v")
    a.read_reply()
    assert blocked_clients(conn) == 1
    conn.call("CLIENT", "UNBLOCK", bid)
    b.read_reply()
    assert blocked_clients(conn) == 0


def test_client_list_flags_a_blocked_client(conn, clients):
    w = clients()
    wid = client_id(w)
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    line = [l for l in conn.call("CLIENT", "LIST").decode().split("\n")
            if l.startswith("id=%d " % wid)][0]
    assert " flags=b " in line and " cmd=blpop " in line


def test_a_served_blocking_command_counts_one_call(conn, clients):
    conn.call("CONFIG", "RESETSTAT")
    w = clients()
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    conn.call("RPUSH", "k", "v")
    w.read_reply()
    stats = conn.call("INFO", "commandstats").decode()
    assert "cmdstat_blpop:calls=1," in stats


def test_client_unblock_error_counts_a_failed_call(conn, clients):
    conn.call("CONFIG", "RESETSTAT")
    w = clients()
    wid = client_id(w)
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    conn.call("CLIENT", "UNBLOCK", wid, "ERROR")
    w.read_reply()
    assert b"errorstat_UNBLOCKED:count=1\r\n" in conn.call("INFO", "errorstats")
    stats = conn.call("INFO", "commandstats").decode()
    line = [l for l in stats.split("\r\n") if l.startswith("cmdstat_blpop:")][0]
    assert line.startswith("cmdstat_blpop:calls=1,") and line.endswith(",failed_calls=1")


def test_client_reply_skip_silences_the_reply_given_at_unblock(conn, clients):
    w = clients()
    w.send("CLIENT", "REPLY", "SKIP")
    w.send("BLPOP", "k", "0")
    wait_blocked(conn, 1)
    w.send("ECHO", "next")
    conn.call("RPUSH", "k", "v")
    assert w.read_reply() == b"$4\r\nnext\r\n"
    assert conn.call("EXISTS", "k") == b":0\r\n"
