"""Server behaviours beyond single replies, run against both servers with
the same assertions: expiry without access, protocol limits set at run
time, authentication, client limits and replies switched off."""
import time

import pytest

from support.resp import RespClient
from support.servers import Server


@pytest.fixture
def conn(server):
    with RespClient(port=server.port) as c:
        yield c


def wait_for(fn, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if fn():
            return True
        time.sleep(0.05)
    return False


def test_active_expiry_removes_keys_nobody_reads(conn):
    for i in range(200):
        conn.call("SET", "tmp:%d" % i, "v", "PX", "100")
    conn.call("SET", "keep", "v")
    assert wait_for(lambda: conn.call("DBSIZE") == b":1\r\n")
    assert b"expired_keys:200" in conn.call("INFO", "stats")


def test_debug_set_active_expire_0_leaves_keys_to_lazy_expiry(kind):
    with Server(kind, ["--enable-debug-command", "yes"]) as s, RespClient(port=s.port) as c:
        assert c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"+OK\r\n"
        c.call("SET", "k", "v", "PX", "50")
        time.sleep(0.4)
        assert c.call("DBSIZE") == b":1\r\n"
        assert c.call("GET", "k") == b"$-1\r\n"
        assert c.call("DBSIZE") == b":0\r\n"


def test_proto_max_bulk_len_set_at_run_time_rejects_bigger_bulks(conn):
    assert conn.call("CONFIG", "SET", "proto-max-bulk-len", "1mb") == b"+OK\r\n"
    conn.send_raw(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n")
    assert conn.read_until_close() == b"-ERR Protocol error: invalid bulk length\r\n"


def test_append_past_proto_max_bulk_len_is_refused(conn):
    conn.call("CONFIG", "SET", "proto-max-bulk-len", "1mb")
    conn.call("SET", "k", "x" * 1000000)
    assert conn.call("APPEND", "k", "x" * 100000) == \
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"


def test_query_buffer_limit_closes_the_connection(conn):
    conn.call("CONFIG", "SET", "client-query-buffer-limit", "1mb")
    conn.send_raw(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000\r\n")
    conn.sock.settimeout(5)
    closed = False
    try:
        for _ in range(40):
            conn.send_raw(b"x" * 65536)
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    assert closed or conn.is_closed(timeout=5)


def test_requirepass_demands_auth_before_commands(kind):
    with Server(kind, ["--requirepass", "sekret"]) as s, RespClient(port=s.port) as c:
        assert c.call("GET", "k") == b"-NOAUTH Authentication required.\r\n"
        assert c.call("AUTH", "wrong") == \
            b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
        assert c.call("AUTH", "sekret") == b"+OK\r\n"
        assert c.call("GET", "k") == b"$-1\r\n"


def test_unauthenticated_clients_get_small_bulk_limits(kind):
    with Server(kind, ["--requirepass", "sekret"]) as s, RespClient(port=s.port) as c:
        c.send_raw(b"*2\r\n$3\r\nGET\r\n$20000\r\n")
        assert c.read_until_close() == b"-ERR Protocol error: unauthenticated bulk length\r\n"


def test_maxclients_refuses_the_extra_connection(kind):
    with Server(kind, ["--maxclients", "2"]) as s:
        with RespClient(port=s.port) as a, RespClient(port=s.port) as b:
            assert a.call("PING") == b"+PONG\r\n"
            assert b.call("PING") == b"+PONG\r\n"
            with RespClient(port=s.port) as c:
                assert c.read_until_close() == b"-ERR max number of clients reached\r\n"


def test_client_reply_off_then_on(conn):
    conn.send("CLIENT", "REPLY", "OFF")
    conn.send("SET", "k", "v")
    assert conn.call("CLIENT", "REPLY", "ON") == b"+OK\r\n"
    assert conn.call("GET", "k") == b"$1\r\nv\r\n"


def test_client_kill_by_id_closes_that_client(server):
    with RespClient(port=server.port) as a, RespClient(port=server.port) as b:
        bid = int(b.call("CLIENT", "ID")[1:-2])
        assert a.call("CLIENT", "KILL", "ID", str(bid)) == b":1\r\n"
        assert b.is_closed(timeout=5)


def test_config_set_hz_is_visible_in_info(conn):
    assert conn.call("CONFIG", "SET", "hz", "50") == b"+OK\r\n"
    assert b"\r\nhz:50\r\n" in conn.call("INFO", "server")


def test_counters_in_info_stats_follow_commands(conn):
    conn.call("CONFIG", "RESETSTAT")
    conn.call("SET", "k", "v")
    conn.call("GET", "k")
    conn.call("GET", "missing")
    stats = conn.call("INFO", "stats")
    assert b"keyspace_hits:1\r\n" in stats
    assert b"keyspace_misses:1\r\n" in stats
    cmdstats = conn.call("INFO", "commandstats")
    assert b"cmdstat_get:calls=2," in cmdstats
    assert b"cmdstat_set:calls=1," in cmdstats


def test_errorstats_count_error_replies(conn):
    conn.call("CONFIG", "RESETSTAT")
    conn.call("NOSUCHCOMMAND")
    conn.call("INCR", "k", "extra")
    assert b"errorstat_ERR:count=2\r\n" in conn.call("INFO", "errorstats")
