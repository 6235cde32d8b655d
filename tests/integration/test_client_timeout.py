"""Idle clients (`timeout`) and TCP keepalive (`tcp-keepalive`), against
both servers."""
import socket
import time

import pytest


def connect(server):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    s.sendall(b"PING\r\n")
    assert s.recv(100) == b"+PONG\r\n"
    return s


def call(server, *args):
    with connect(server) as s:
        s.sendall(("*%d\r\n" % len(args) + "".join(
            "$%d\r\n%s\r\n" % (len(a), a) for a in args)).encode())
        return s.recv(1000)


def closed_within(sock, seconds):
    sock.settimeout(seconds)
    try:
        return sock.recv(100) == b""
    except socket.timeout:
        return False


def test_an_idle_client_is_closed_after_timeout(server):
    assert call(server, "CONFIG", "SET", "timeout", "1") == b"+OK\r\n"
    idle = connect(server)
    sub = connect(server)
    sub.sendall(b"SUBSCRIBE ch\r\n")
    assert sub.recv(100).startswith(b"*3\r\n")
    assert closed_within(idle, 5)
    assert not closed_within(sub, 0.5)          # subscribers are never idle-closed
    idle.close()
    sub.close()


def test_a_client_that_talks_stays(server):
    assert call(server, "CONFIG", "SET", "timeout", "2") == b"+OK\r\n"
    s = connect(server)
    for _ in range(4):
        time.sleep(0.8)
        s.sendall(b"PING\r\n")
        assert s.recv(100) == b"+PONG\r\n"
    s.close()


def keepalive_timer_on(server, client_port):
    """/proc/net/tcp: the server side of the connection has its keepalive
    timer (tr 2) armed."""
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        f = line.split()
        local, remote, timer = f[1], f[2], f[5].split(":")[0]
        if int(local.split(":")[1], 16) == server.port and \
                int(remote.split(":")[1], 16) == client_port:
            return timer == "02"
    raise AssertionError("connection not found in /proc/net/tcp")


def test_tcp_keepalive_is_set_on_accepted_connections(server):
    s = connect(server)
    assert keepalive_timer_on(server, s.getsockname()[1])
    s.close()
    assert call(server, "CONFIG", "SET", "tcp-keepalive", "0") == b"+OK\r\n"
    s = connect(server)
    assert not keepalive_timer_on(server, s.getsockname()[1])
    s.close()
