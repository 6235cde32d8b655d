"""pytest fixtures backed by real pyredis servers (registered through the
`pytest11` entry point, so installing pyredis is enough):

  pyredis_server          one server for the whole session (pyredis.Server)
  pyredis_client          a redis-py client of that server, on a database
                          flushed before each test
  pyredis_server_factory  make(**config) -> a started Server with your
                          config, stopped after the test; e.g. a master
                          and its replica:
                              master = make()
                              replica = make(replicaof=(master.host, master.port))

Extra config for the session server: the `pyredis_server_config` ini
option ("directive value" per line, as in redis.conf) or by overriding the
`pyredis_server_config` fixture with a dict of keyword arguments.
No redis-server binary is needed: the servers are `python -m pyredis`.
"""
import shlex

import pytest

from .embed import Server


def pytest_addoption(parser):
    parser.addini("pyredis_server_config",
                  "redis.conf lines for the session pyredis server (pyredis_server)",
                  type="linelist", default=[])


def _ini_config(config):
    out = {}
    for line in config.getini("pyredis_server_config"):
        words = shlex.split(line)
        if words:
            name = words[0].replace("-", "_")
            out[name] = words[1] if len(words) == 2 else tuple(words[1:])
    return out


@pytest.fixture(scope="session")
def pyredis_server_config(pytestconfig):
    """Keyword config of the session server; override to change it."""
    return _ini_config(pytestconfig)


@pytest.fixture(scope="session")
def pyredis_server(pyredis_server_config):
    """A pyredis server shared by the whole test session (pyredis.Server)."""
    server = Server(port=0, **dict({"save": ""}, **pyredis_server_config))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pyredis_client(pyredis_server):
    """A redis-py client of pyredis_server; every database is flushed first."""
    redis = pytest.importorskip("redis")
    client = redis.Redis(host=pyredis_server.host, port=pyredis_server.port,
                         password=pyredis_server.password)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def pyredis_server_factory():
    """make(**config) -> a started pyredis.Server, stopped after the test."""
    started = []

    def make(**config):
        config.setdefault("save", "")
        server = Server(port=config.pop("port", 0), **config)
        server.start()
        started.append(server)
        return server

    yield make
    for server in reversed(started):
        server.stop()
