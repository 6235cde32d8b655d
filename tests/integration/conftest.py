"""Integration fixtures: every test runs against the real redis-server
("real", which proves the test itself) and against ours (pyredis, or a
second real redis-server when PYREDIS_COMPAT_SELFTEST=1)."""
import pytest

from support.repl import start
from support.servers import Server, ours_kind, require


@pytest.fixture(params=["real", "ours"])
def kind(request):
    k = "redis" if request.param == "real" else ours_kind()
    require(k)
    return k


@pytest.fixture
def server(kind):
    s = Server(kind)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def servers():
    """A factory of servers (kind, *args) with replication-friendly
    defaults (support.repl.start), all stopped at the end."""
    started = []

    def make(kind, *args):
        s = start(kind, *args)
        started.append(s)
        return s
    yield make
    for s in reversed(started):
        s.stop()
