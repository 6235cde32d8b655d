"""client-output-buffer-limit pubsub, run against both servers with the
same assertions: a subscriber that stops reading is disconnected once its
pending output passes the hard limit (at once) or the soft limit (after
its seconds), and the server keeps serving everyone else."""
import socket
import time

import pytest

from support.resp import RespClient

MESSAGE = "x" * (64 * 1024)


@pytest.fixture
def conn(server):
    with RespClient(port=server.port) as c:
        yield c


def _stalled_subscriber(port, channel):
    """A subscriber with a small receive buffer that never reads after its
    confirmation."""
    sub = RespClient(port=port)
    sub.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sub.send("SUBSCRIBE", channel)
    assert sub.read_reply().endswith(b":1\r\n")
    return sub


def _publish_until_dropped(conn, channel, timeout, pause=0.0):
    """PUBLISH until nobody receives; the number of messages published, or
    None if the subscriber was still there after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    n = 0
    while time.monotonic() < deadline:
        n += 1
        if conn.call("PUBLISH", channel, MESSAGE) == b":0\r\n":
            return n
        # the server answers everyone else while the subscriber lags
        assert conn.call("PING") == b"+PONG\r\n"
        if pause:
            time.sleep(pause)
    return None


def _only_client_left(conn):
    """The server dropped the subscriber: the caller is its only client.
    (Reading to the end of the subscriber's stream would take minutes
    through its tiny receive window.)"""
    return conn.call("CLIENT", "LIST").count(b"id=") == 1


def test_hard_limit_disconnects_slow_subscriber(conn, server):
    assert conn.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0") == b"+OK\r\n"
    sub = _stalled_subscriber(server.port, "ch")
    try:
        n = _publish_until_dropped(conn, "ch", timeout=20)
        # 1 MB of pending output is about 16 messages; the socket buffers
        # hold a few more
        assert n is not None and n < 200
        assert conn.call("PUBSUB", "NUMSUB", "ch") == b"*2\r\n$2\r\nch\r\n:0\r\n"
        assert b"pubsub_channels:0" in conn.call("INFO", "stats")
        assert _only_client_left(conn)
    finally:
        sub.close()


def test_soft_limit_disconnects_after_its_seconds(conn, server):
    assert conn.call("CONFIG", "SET", "client-output-buffer-limit",
                     "pubsub 0 512kb 1") == b"+OK\r\n"
    sub = _stalled_subscriber(server.port, "ch")
    try:
        start = time.monotonic()
        n = _publish_until_dropped(conn, "ch", timeout=20, pause=0.05)
        assert n is not None
        # over the soft limit for more than one whole second
        assert time.monotonic() - start > 1.0
        assert _only_client_left(conn)
    finally:
        sub.close()


def test_subscriber_that_reads_is_kept(conn, server):
    assert conn.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0") == b"+OK\r\n"
    sub = RespClient(port=server.port)
    try:
        sub.send("SUBSCRIBE", "ch")
        sub.read_reply()
        for _ in range(100):
            assert conn.call("PUBLISH", "ch", MESSAGE) == b":1\r\n"
            assert sub.read_reply().endswith(MESSAGE.encode() + b"\r\n")
    finally:
        sub.close()
