"""Fixtures for differential tests: a real redis-server and ours (pyredis, or
a second real redis-server when PYREDIS_COMPAT_SELFTEST=1), shared by the
whole session; `pair` gives each test fresh connections to empty servers."""
import pytest

from support.pair import Pair
from support.resp import parse
from support.servers import Server, ours_kind, require


def _session_server(kind):
    require(kind)
    server = Server(kind)
    server.start()
    return server


@pytest.fixture(scope="session")
def real():
    server = _session_server("redis")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ours():
    server = _session_server(ours_kind())
    yield server
    server.stop()


def _restart_if_dead(server):
    """A server that died during a test is restarted so the following tests
    still say something; the test that killed it fails with its output."""
    if server.proc.poll() is None:
        return
    rc, output = server.proc.returncode, server.output()
    server.start()
    pytest.fail("%s server exited with %s during this test; last output:\n%s"
                % (server.kind, rc, "\n".join(output.splitlines()[-30:])), pytrace=False)


@pytest.fixture
def pair(real, ours):
    p = Pair(real, ours)
    p.check("FLUSHALL")
    yield p
    p.close()
    _restart_if_dead(real)
    _restart_if_dead(ours)


@pytest.fixture
def config(pair):
    """Set config on both servers for one test, restored afterwards."""
    saved = {}

    def set_(name, value):
        if name not in saved:
            saved[name] = parse(pair.real.call("CONFIG", "GET", name))[1]
        pair.check("CONFIG", "SET", name, value)
    yield set_
    for name, value in saved.items():
        pair.check("CONFIG", "SET", name, value)
