"""Hostile bytes never take the server down: random and mutated requests
over many connections, then the server must still answer normally."""
import random
import socket

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from support.resp import RespClient
from support.servers import Server, ours_kind, require

SEEDS = [b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
         b"PING\r\n", b"set a \"b\\x41\" 'c'\r\n", b"*1\r\n$4\r\nINFO\r\n",
         b"*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$2\r\nhz\r\n$2\r\n10\r\n",
         b"*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n", b"*3\r\n$8\r\nSETRANGE\r\n$1\r\nk\r\n$2\r\n10\r\n"]


@pytest.fixture(scope="module")
def fuzz_server():
    kind = ours_kind()
    require(kind)
    s = Server(kind)
    s.start()
    yield s
    s.stop()


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randint(0, 3)
        i = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(i, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2 and data:
            del data[i:i + rng.randint(1, 6)]
        else:
            data[i:i] = rng.choice([b"*", b"$", b"\r\n", b"-1", b"99999999999", b"\"", b"'"])
    return bytes(data)


def send_and_drain(port, payload):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        try:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        except (socket.timeout, ConnectionError):
            pass


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300))
def test_random_bytes_never_kill_the_server(fuzz_server, payload):
    send_and_drain(fuzz_server.port, payload)
    assert fuzz_server.proc.poll() is None


def test_mutated_requests_never_kill_the_server(fuzz_server):
    rng = random.Random(1234)
    for _ in range(300):
        payload = b"".join(mutate(rng, rng.choice(SEEDS)) for _ in range(rng.randint(1, 4)))
        send_and_drain(fuzz_server.port, payload)
    assert fuzz_server.proc.poll() is None
    with RespClient(port=fuzz_server.port) as c:
        assert c.call("PING") == b"+PONG\r\n"
        assert b"unexpected_error_replies:0\r\n" in c.call("INFO", "stats")
