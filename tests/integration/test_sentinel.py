"""A real redis-sentinel watching a pyredis master with two pyredis
replicas: it detects the master's death (kill -9), promotes a replica,
points the other at it, turns the old master into a replica when it comes
back -- and redis-py's Sentinel client follows all of it."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import redis
from redis.sentinel import Sentinel

from support.repl import client, info, wait_for, wait_synced
from support.servers import Server, free_port, ours_kind, require

SENTINEL = shutil.which("redis-sentinel")
NAME = "mymaster"


@pytest.fixture
def sentinel_of():
    """Start a redis-sentinel monitoring the master at port; stopped (by
    its pid) at the end."""
    if SENTINEL is None:
        pytest.skip("redis-sentinel is not on PATH (apt-get install redis-sentinel)")
    procs = []
    tmp = tempfile.mkdtemp(prefix="pyredis-test-sentinel-")

    def start(master_port):
        port = free_port()
        conf = os.path.join(tmp, "sentinel.conf")
        with open(conf, "w") as f:
            f.write("port %d\nbind 127.0.0.1\ndaemonize no\ndir %s\n"
                    "sentinel monitor %s 127.0.0.1 %d 1\n"
                    "sentinel down-after-milliseconds %s 2000\n"
                    "sentinel failover-timeout %s 10000\n"
                    "sentinel parallel-syncs %s 1\n"
                    % (port, tmp, NAME, master_port, NAME, NAME, NAME))
        log = open(os.path.join(tmp, "sentinel.log"), "wb")
        procs.append(subprocess.Popen([SENTINEL, conf], stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                return port
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-sentinel did not start")

    yield start
    for p in procs:
        p.kill()
        p.wait()
    log_path = os.path.join(tmp, "sentinel.log")
    if os.path.exists(log_path):
        with open(log_path, "rb") as f:
            print(f.read().decode(errors="replace")[-5000:])
    shutil.rmtree(tmp, ignore_errors=True)


def sentinel_client(port):
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=5, decode_responses=True)


def test_sentinel_fails_over_a_pyredis_master(servers, sentinel_of):
    require(ours_kind())
    kind = ours_kind()
    m = servers(kind)
    reps = [servers(kind, "--replicaof", "127.0.0.1", m.port) for _ in range(2)]
    for r in reps:
        wait_synced(m, r)
    sport = sentinel_of(m.port)
    s = sentinel_client(sport)
    wait_for(lambda: len(s.execute_command("SENTINEL", "REPLICAS", NAME)) == 2, timeout=20,
             what="the sentinel to discover both replicas")

    sentinel = Sentinel([("127.0.0.1", sport)], socket_timeout=2)
    app = sentinel.master_for(NAME, socket_timeout=2)
    for i in range(100):
        app.set("k%d" % i, i)
    # replication is asynchronous: what both replicas acknowledged survives
    assert app.execute_command("WAIT", 2, 10000) == 2
    assert sentinel.discover_master(NAME) == ("127.0.0.1", m.port)

    m.proc.kill()                         # kill -9
    m.proc.wait()

    def promoted():
        addr = s.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", NAME)
        return addr and int(addr[1]) != m.port
    wait_for(promoted, timeout=40, what="the sentinel's failover")
    new_port = int(s.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", NAME)[1])
    new = next(r for r in reps if r.port == new_port)
    other = next(r for r in reps if r.port != new_port)
    assert info(new)["role"] == "master"
    wait_for(lambda: info(other).get("master_port") == new_port and
             info(other).get("master_link_status") == "up", timeout=30,
             what="the other replica following the new master")

    # redis-py's Sentinel client finds the new master by itself
    def app_writes():
        try:
            return app.set("after-failover", "1")
        except (redis.exceptions.ConnectionError, redis.exceptions.ReadOnlyError,
                redis.exceptions.TimeoutError):
            return False
    wait_for(app_writes, timeout=20, what="writes through the Sentinel client")
    assert app.get("k99") == b"99"
    wait_synced(new, other)
    assert client(other).get("after-failover") == b"1"

    # the old master comes back and is made a replica of the new one
    old = Server(kind, port=m.port, args=("--repl-diskless-sync-delay", "0"))
    old.start()
    try:
        def current_master():
            return int(s.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", NAME)[1])
        wait_for(lambda: info(old).get("role") == "slave" and
                 info(old).get("master_port") == current_master() and
                 info(old).get("master_link_status") == "up", timeout=40,
                 what="the old master rejoining as a replica")
        # (on a loaded machine the sentinel may have failed over once more)
        wait_synced(next(r for r in reps if r.port == current_master()), old)
        assert client(old).get("after-failover") == b"1"
        assert client(old).get("k0") == b"0"
    finally:
        old.stop()
