"""Replication over loopback, wire-compatible with Redis 7.0 both ways: a
real redis-server replicating from pyredis, pyredis replicating from a
real redis-server, pyredis to pyredis (and a chain), partial resync after
the link is cut, read-only replicas, ROLE and INFO replication."""
import time

import pytest
import redis

from support.repl import (PAIRS, client, dataset, info, populate, replicate,
                          stream_writes, wait_for, wait_synced)
from support.servers import ours_kind, require


@pytest.fixture(autouse=True)
def _both_available():
    require("redis")
    require(ours_kind())




@pytest.mark.parametrize("master_kind,replica_kind", PAIRS)
def test_full_sync_copies_the_dataset(servers, master_kind, replica_kind):
    m, r = replicate(servers, *(k if k == "redis" else ours_kind() for k in (master_kind, replica_kind)))
    assert dataset(r) == dataset(m)
    assert dataset(r)[(0, b"zset")] == ("zset", [(b"a", 1.5), (b"b", 2.0)], False)


@pytest.mark.parametrize("master_kind,replica_kind", PAIRS)
def test_writes_stream_to_the_replica(servers, master_kind, replica_kind):
    m, r = replicate(servers, *(k if k == "redis" else ours_kind() for k in (master_kind, replica_kind)))
    stream_writes(m)
    # "gone" expires on the master; the replica learns it from its DEL
    wait_for(lambda: client(m).exists("gone") == 0, what="expiry on the master")
    wait_synced(m, r)
    assert dataset(r) == dataset(m)
    assert (0, b"gone") not in dataset(r)


@pytest.mark.parametrize("master_kind,replica_kind", PAIRS)
def test_partial_resync_after_the_link_is_cut(servers, master_kind, replica_kind):
    m, r = replicate(servers, *(k if k == "redis" else ours_kind() for k in (master_kind, replica_kind)))
    before = info(m, "stats")["sync_partial_ok"]
    client(r).client_kill_filter(_type="master")
    client(m).set("while-down", "1")
    wait_for(lambda: info(m, "stats")["sync_partial_ok"] == before + 1, what="+CONTINUE")
    assert info(m, "stats")["sync_full"] == 1
    stream_writes(m)
    wait_synced(m, r)
    assert dataset(r) == dataset(m)


def test_killing_the_replica_link_on_a_pyredis_master_resyncs_partially(servers):
    m, r = replicate(servers, ours_kind(), "redis")
    client(m).client_kill_filter(_type="replica")
    client(m).set("after", "1")
    wait_for(lambda: info(m, "stats")["sync_partial_ok"] == 1, what="+CONTINUE")
    wait_synced(m, r)
    assert client(r).get("after") == b"1"


def test_chained_replicas_share_the_masters_history(servers):
    kind = ours_kind()
    m = servers(kind)
    populate(client(m))
    a = servers(kind, "--replicaof", "127.0.0.1", m.port)
    b = servers(kind, "--replicaof", "127.0.0.1", a.port)
    wait_synced(m, a)
    wait_synced(a, b)
    stream_writes(m)
    wait_synced(m, a)
    wait_synced(a, b)
    assert dataset(b) == dataset(m)
    assert info(b)["master_replid"] == info(m)["master_replid"]
    assert info(b)["master_repl_offset"] == info(m)["master_repl_offset"]


@pytest.mark.parametrize("kind", ["redis", "ours"])
def test_replica_refuses_writes(servers, kind):
    k = kind if kind == "redis" else ours_kind()
    m, r = replicate(servers, k, k)
    with pytest.raises(redis.exceptions.ReadOnlyError,
                       match="^You can't write against a read only replica.$"):
        client(r).set("x", "1")
    assert client(r).get("str") == b"v"


@pytest.mark.parametrize("kind", ["redis", "ours"])
def test_role_of_master_and_replica(servers, kind):
    k = kind if kind == "redis" else ours_kind()
    m, r = replicate(servers, k, k)
    role = client(m).execute_command("ROLE")
    off = info(m)["master_repl_offset"]
    assert role == [b"master", off, [[b"127.0.0.1", str(r.port).encode(), str(off).encode()]]]
    assert client(r).execute_command("ROLE") == [b"slave", b"127.0.0.1", m.port, b"connected", off]


def test_info_replication_has_the_fields_of_redis(servers):
    ours = ours_kind()
    rm, rr = replicate(servers, "redis", "redis")
    om, orr = replicate(servers, ours, ours)
    assert list(info(om)) == list(info(rm))
    assert list(info(orr)) == list(info(rr))
    assert info(om)["slave0"] == {"ip": "127.0.0.1", "port": orr.port, "state": "online",
                                  "offset": info(om)["master_repl_offset"], "lag": 0}


@pytest.mark.parametrize("kind", ["redis", "ours"])
def test_replicaof_no_one_keeps_data_and_shifts_ids(servers, kind):
    k = kind if kind == "redis" else ours_kind()
    m, r = replicate(servers, k, k)
    old = info(r)
    assert client(r).replicaof("NO", "ONE")
    new = info(r)
    assert new["role"] == "master"
    assert new["master_replid2"] == old["master_replid"]
    assert new["second_repl_offset"] == old["master_repl_offset"] + 1
    assert new["master_replid"] != old["master_replid"]
    assert client(r).set("x", "1")
    assert client(r).get("str") == b"v"


@pytest.mark.parametrize("kind", ["redis", "ours"])
def test_min_replicas_to_write_refuses_writes_without_replicas(servers, kind):
    k = kind if kind == "redis" else ours_kind()
    m = servers(k, "--min-replicas-to-write", "1")
    with pytest.raises(redis.exceptions.ResponseError,
                       match="^NOREPLICAS Not enough good replicas to write.$"):
        client(m).set("x", "1")
    assert client(m).get("x") is None
    r = servers(k, "--replicaof", "127.0.0.1", m.port)
    wait_for(lambda: info(r).get("master_link_status") == "up", what="link up")
    wait_for(lambda: _set_ok(m), what="writes accepted")
    wait_synced(m, r)
    assert client(r).get("x") == b"1"


def _set_ok(server):
    try:
        return client(server).set("x", "1")
    except redis.exceptions.ResponseError:
        return False


@pytest.mark.parametrize("kind", ["redis", "ours"])
def test_replica_ignores_its_maxmemory_by_default(servers, kind):
    k = kind if kind == "redis" else ours_kind()
    m, r = replicate(servers, k, k)
    client(r).config_set("maxmemory", "1")
    stream_writes(m)
    wait_synced(m, r)
    assert dataset(r) == dataset(m)
    assert info(r, "stats")["evicted_keys"] == 0
