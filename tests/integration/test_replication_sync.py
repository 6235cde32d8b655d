"""How a master serves full syncs -- from a forked child, to disk or
straight to the replicas' sockets, while it keeps answering clients --
and what rides on the replication links: diskless loading on the replica,
WAIT, CLIENT PAUSE, FAILOVER, the backlog's TTL and expired keys on
replicas.  Each behaviour runs against pyredis and, where it proves the
test, against a real redis-server."""
import os
import signal
import threading
import time

import pytest
import redis

from support.repl import client, dataset, info, populate, wait_for, wait_synced
from support.servers import ours_kind, require

SLOW_SAVE = ("--rdb-key-save-delay", "100")     # the child sleeps 100 us a key
KEYS = 20000                                    # so a snapshot takes >= 2 s


@pytest.fixture(autouse=True)
def _both_available():
    require("redis")
    require(ours_kind())


def kinds(*names):
    return [ours_kind() if n == "ours" else n for n in names]


def fill(server, n=KEYS):
    c = client(server)
    p = c.pipeline(transaction=False)
    for i in range(n):
        p.set("key:%d" % i, "value:%d" % i)
        if i % 5000 == 4999:
            p.execute()
    p.execute()


def replica_states(server):
    i = info(server)
    return [i["slave%d" % n]["state"] for n in range(i["connected_slaves"])]


def slow_synced(master, replica):
    wait_for(lambda: info(replica).get("master_link_status") == "up", timeout=60,
             what="the replica's sync")
    wait_synced(master, replica)


@pytest.mark.parametrize("diskless", ["yes", "no"])
@pytest.mark.parametrize("replica_kind", kinds("redis", "ours"))
def test_full_sync_is_written_by_a_child_while_the_master_serves(servers, diskless,
                                                                  replica_kind):
    m = servers(ours_kind(), "--repl-diskless-sync", diskless, *SLOW_SAVE)
    fill(m)
    r = servers(replica_kind, "--replicaof", "127.0.0.1", m.port)
    wait_for(lambda: replica_states(m) == ["wait_bgsave"], what="the sync's snapshot")
    c = client(m)
    assert info(m, "persistence")["rdb_bgsave_in_progress"] == 1
    for i in range(100):
        c.set("during:%d" % i, i)
    c.delete("key:0")
    assert info(m, "persistence")["rdb_bgsave_in_progress"] == 1
    slow_synced(m, r)
    assert client(r).dbsize() == c.dbsize() == KEYS + 99
    assert client(r).get("during:99") == b"99"
    assert client(r).get("key:0") is None
    assert info(m, "stats")["total_forks"] == 1


def test_replicas_arriving_during_a_disk_snapshot_share_it(servers):
    m = servers(ours_kind(), "--repl-diskless-sync", "no", *SLOW_SAVE)
    fill(m)
    a = servers(ours_kind(), "--replicaof", "127.0.0.1", m.port)
    wait_for(lambda: replica_states(m) == ["wait_bgsave"], what="the first sync's snapshot")
    client(m).set("between", "1")
    b = servers("redis", "--replicaof", "127.0.0.1", m.port)
    slow_synced(m, a)
    slow_synced(m, b)
    assert info(m, "stats")["total_forks"] == 1
    assert info(m, "stats")["sync_full"] == 2
    assert client(b).get("between") == client(a).get("between") == b"1"


def test_a_diskless_sync_waits_its_delay_for_more_replicas(servers):
    m = servers(ours_kind(), "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "2")
    populate(client(m))
    a = servers(ours_kind(), "--replicaof", "127.0.0.1", m.port)
    b = servers("redis", "--replicaof", "127.0.0.1", m.port)
    wait_for(lambda: len(replica_states(m)) == 2, what="both replicas")
    assert replica_states(m) == ["wait_bgsave", "wait_bgsave"]
    slow_synced(m, a)
    slow_synced(m, b)
    assert info(m, "stats")["total_forks"] == 1
    assert dataset(a) == dataset(b) == dataset(m)


@pytest.mark.parametrize("mode", ["on-empty-db", "swapdb"])
@pytest.mark.parametrize("master_kind", kinds("redis", "ours"))
@pytest.mark.parametrize("diskless", ["yes", "no"])
def test_a_replica_loads_straight_from_the_socket(servers, mode, master_kind, diskless):
    m = servers(master_kind, "--repl-diskless-sync", diskless)
    populate(client(m))
    r = servers(ours_kind(), "--repl-diskless-load", mode, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    assert dataset(r) == dataset(m)
    assert "to parser" in r.output()
    assert not [f for f in os.listdir(r.dir) if f.startswith("temp-")]


def test_a_replica_killed_during_a_diskless_transfer_ends_the_child(servers):
    m = servers(ours_kind(), "--repl-diskless-sync", "yes", *SLOW_SAVE)
    fill(m)
    r = servers(ours_kind(), "--replicaof", "127.0.0.1", m.port)
    wait_for(lambda: replica_states(m) == ["wait_bgsave"], what="the diskless sync")
    r.stop()
    wait_for(lambda: info(m, "persistence")["rdb_bgsave_in_progress"] == 0, timeout=15,
             what="the child's end")
    assert client(m).set("after", "1")
    assert replica_states(m) == []


@pytest.mark.parametrize("kind", kinds("redis", "ours"))
def test_wait_counts_the_replicas_that_acknowledged(servers, kind):
    m = servers(kind)
    r = servers(kind, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    c = client(m)
    c.set("k", "v")
    assert c.execute_command("WAIT", 1, 0) == 1
    started = time.monotonic()
    assert c.execute_command("WAIT", 2, 300) == 1      # only one replica: times out
    assert time.monotonic() - started >= 0.25
    with pytest.raises(redis.exceptions.ResponseError, match="^WAIT cannot be used with replica"):
        client(r).execute_command("WAIT", 1, 0)


@pytest.mark.parametrize("kind", kinds("redis", "ours"))
def test_wait_is_answered_when_a_lagging_replica_catches_up(servers, kind):
    m = servers(kind)
    r = servers(kind, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    c = client(m)
    r.signal(signal.SIGSTOP)
    try:
        c.set("k", "v")
        result = []
        t = threading.Thread(target=lambda: result.append(c.execute_command("WAIT", 1, 0)))
        t.start()
        time.sleep(0.5)
        assert t.is_alive(), "WAIT returned before the replica could acknowledge"
    finally:
        r.signal(signal.SIGCONT)
    t.join(10)
    assert result == [1]


def test_client_pause_write_holds_writes_but_not_reads(server):
    admin, other = client(server), client(server)
    admin.set("k", "before")
    assert admin.execute_command("CLIENT", "PAUSE", 10000, "WRITE")
    assert other.get("k") == b"before"
    done = []
    t = threading.Thread(target=lambda: done.append(other.set("k", "after")))
    t.start()
    time.sleep(0.3)
    assert t.is_alive() and not done
    assert admin.get("k") == b"before"
    assert admin.execute_command("CLIENT", "UNPAUSE")
    t.join(5)
    assert done == [True]
    assert admin.get("k") == b"after"


def test_client_pause_ends_by_itself(server):
    admin, other = client(server), client(server)
    admin.execute_command("CLIENT", "PAUSE", 300, "ALL")
    started = time.monotonic()
    assert other.ping()
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("kind", kinds("redis", "ours"))
def test_failover_swaps_the_roles_and_keeps_the_data(servers, kind):
    m = servers(kind)
    populate(client(m))
    r = servers(kind, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    before = dataset(m)
    assert client(m).execute_command("FAILOVER")
    wait_for(lambda: info(r)["role"] == "master" and info(m)["role"] == "slave" and
             info(m)["master_link_status"] == "up", what="the roles swapped")
    assert info(m)["master_port"] == r.port
    assert info(m)["master_failover_state"] == "no-failover"
    assert dataset(r) == before
    assert info(m, "stats")["sync_full"] == 1          # no full sync either way
    assert info(r, "stats")["sync_full"] == 0
    client(r).set("on-new-master", "1")
    wait_synced(r, m)
    assert client(m).get("on-new-master") == b"1"


@pytest.mark.parametrize("kind", kinds("redis", "ours"))
def test_failover_to_a_replica_that_cannot_catch_up_times_out(servers, kind):
    m = servers(kind)
    r = servers(kind, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    c = client(m)
    with pytest.raises(redis.exceptions.ResponseError,
                       match="^FAILOVER target HOST and PORT is not a replica.$"):
        c.execute_command("FAILOVER", "TO", "127.0.0.1", r.port + 1)
    wait_for(lambda: replica_states(m) == ["online"], what="the replica online")
    r.signal(signal.SIGSTOP)
    try:
        c.set("unacknowledged", "1")
        assert c.execute_command("FAILOVER", "TO", "127.0.0.1", r.port, "TIMEOUT", 500)
        assert info(m)["master_failover_state"] == "waiting-for-sync"
        with pytest.raises(redis.exceptions.ResponseError,
                           match="^FAILOVER already in progress.$"):
            c.execute_command("FAILOVER")
        wait_for(lambda: info(m)["master_failover_state"] == "no-failover",
                 what="the failover's timeout")
        assert info(m)["role"] == "master"
        assert c.set("writable-again", "1")
        assert c.execute_command("FAILOVER", "TIMEOUT", 10000)
        assert c.execute_command("FAILOVER", "ABORT")
        assert info(m)["master_failover_state"] == "no-failover"
    finally:
        r.signal(signal.SIGCONT)


@pytest.mark.parametrize("kind", kinds("redis", "ours"))
def test_the_backlog_is_freed_after_its_ttl_without_replicas(servers, kind):
    m = servers(kind, "--repl-backlog-ttl", "1")
    r = servers(kind, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    replid = info(m)["master_replid"]
    assert info(m)["repl_backlog_active"] == 1
    r.stop()
    wait_for(lambda: info(m)["repl_backlog_active"] == 0, what="the backlog freed")
    assert info(m)["master_replid"] != replid


@pytest.mark.parametrize("kind", kinds("redis", "ours"))
def test_a_replica_hides_expired_keys_until_its_master_deletes_them(servers, kind):
    m = servers(kind, "--enable-debug-command", "yes")
    client(m).execute_command("DEBUG", "SET-ACTIVE-EXPIRE", 0)
    r = servers(kind, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    client(m).set("short", "v", px=100)
    wait_synced(m, r)
    time.sleep(0.2)
    assert client(r).get("short") is None
    assert client(r).exists("short") == 0
    assert client(r).dbsize() == 1                     # still there, hidden
    assert client(m).get("short") is None              # the master deletes it ...
    wait_for(lambda: client(r).dbsize() == 0, what="the DEL on the replica")   # ... and says so


@pytest.mark.parametrize("kind", kinds("redis", "ours"))
def test_a_cut_off_replica_refuses_stale_reads_when_told_to(servers, kind):
    m = servers(kind)
    client(m).set("k", "v")
    r = servers(kind, "--replica-serve-stale-data", "no", "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    assert client(r).get("k") == b"v"
    m.stop()
    wait_for(lambda: info(r)["master_link_status"] == "down", what="the link down")
    with pytest.raises(redis.exceptions.MasterDownError,
                       match="^Link with MASTER is down and "
                             "replica-serve-stale-data is set to 'no'.$"):
        client(r).get("k")
    assert client(r).info("server")["tcp_port"] == r.port     # flagged stale: served
    p = client(r).pipeline(transaction=True)
    p.info()
    p.get("k")
    with pytest.raises(redis.exceptions.MasterDownError, match="GET k"):
        p.execute()
    client(r).config_set("replica-serve-stale-data", "yes")
    assert client(r).get("k") == b"v"


@pytest.mark.parametrize("master_kind", kinds("redis", "ours"))
@pytest.mark.parametrize("replica_kind", kinds("redis", "ours"))
def test_a_restarted_replica_resumes_from_its_dump(servers, master_kind, replica_kind, tmp_path):
    from support.servers import Server
    m = servers(master_kind)
    populate(client(m))
    args = ("--replicaof", "127.0.0.1", str(m.port))
    r = Server(replica_kind, directory=str(tmp_path), args=args)
    r.start()
    try:
        wait_synced(m, r)
        c = client(m)
        c.execute_command("SELECT", 1)
        c.set("in-db1", "1")                      # the stream's last SELECT is db 1
        wait_synced(m, r)
        assert client(r).save()
    finally:
        r.stop()
    c.set("while-away", "2")                      # still db 1, no SELECT in the stream
    again = Server(replica_kind, port=r.port, directory=str(tmp_path), args=args)
    again.start()
    try:
        wait_synced(m, again)
        assert info(m, "stats")["sync_full"] == 1
        assert info(m, "stats")["sync_partial_ok"] == 1
        db1 = redis.Redis(host="127.0.0.1", port=again.port, db=1)
        assert db1.mget("in-db1", "while-away") == [b"1", b"2"]
        assert dataset(again) == dataset(m)
    finally:
        again.stop()


def test_nothing_is_evicted_while_clients_are_paused(server):
    c = client(server)
    for i in range(100):
        c.set("k%d" % i, "v" * 100)
    assert c.execute_command("CLIENT", "PAUSE", 10000, "WRITE")
    c.config_set("maxmemory-policy", "allkeys-random")
    c.config_set("maxmemory", "1")
    assert c.get("k1") == b"v" * 100
    assert c.dbsize() == 100
    assert c.info("stats")["evicted_keys"] == 0
    assert c.execute_command("CLIENT", "UNPAUSE")
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        c.set("more", "x")
    assert c.info("stats")["evicted_keys"] > 0
