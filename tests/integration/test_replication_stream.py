"""Streams over replication, both directions with a real redis-server:
the full sync carries groups and PELs, and what group reads, claims and
approximate trims propagate rebuilds the same stream on the replica
(PELs, delivery counts and times, consumers, counters)."""
import pytest

from support.resp import RespClient, parse
from support.servers import ours_kind, require

from support.repl import client, start, wait_synced  # noqa: F401

PAIRS = [("ours", "redis"), ("redis", "ours"), ("ours", "ours")]


def state(server):
    c = client(server)
    raw = RespClient(port=server.port)
    out = {}
    for k in sorted(c.keys("*")):
        full = parse(raw.call("XINFO", "STREAM", k, "FULL"))
        # seen-time is each server's clock at the consumer's last interaction
        for g in full[full.index(b"groups") + 1]:
            for cons in g[g.index(b"consumers") + 1]:
                cons[cons.index(b"seen-time") + 1] = 0
        out[k] = (c.xrange(k), full, parse(raw.call("XINFO", "STREAM", k)))
    raw.close()
    return out


def writes(c):
    for i in range(1, 30):
        c.xadd("s", {"f": i}, id="%d-1" % i)
    c.xadd("s", {"f": "auto"})
    c.xgroup_create("s", "g", id="0")
    c.xreadgroup("g", "a", {"s": ">"}, count=4)
    c.xreadgroup("g", "b", {"s": ">"}, count=3, noack=True)
    # (a history read, XREADGROUP ... 0, is not propagated by Redis either:
    # its delivery-count bumps stay on the master)
    c.xack("s", "g", "2-1")
    c.xclaim("s", "g", "c", 0, ["3-1"])
    c.xautoclaim("s", "g", "d", 0, "0", count=1)
    c.xadd("s", {"f": "x"}, maxlen=12, approximate=True)
    c.xtrim("s", minid="20", approximate=True, limit=5)
    c.xdel("s", "25-1")
    c.xgroup_createconsumer("s", "g", "idle")
    c.xgroup_create("t", "g2", id="$", mkstream=True)
    c.execute_command("XSETID", "t", "99-0")


@pytest.mark.parametrize("master_kind,replica_kind", PAIRS)
def test_stream_writes_rebuild_the_same_stream_on_the_replica(servers, master_kind, replica_kind):
    kinds = [k if k == "redis" else ours_kind() for k in (master_kind, replica_kind)]
    for k in kinds:
        require(k)
    m = servers(kinds[0])
    c = client(m)
    c.xadd("pre", {"a": 1}, id="1-1")
    c.xgroup_create("pre", "g", id="0")
    c.xreadgroup("g", "x", {"pre": ">"})
    r = servers(kinds[1], "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    for server in (m, r):
        client(server).config_set("stream-node-max-entries", 5)
    writes(c)
    wait_synced(m, r)
    assert state(r) == state(m)
