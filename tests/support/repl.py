"""Helpers for replication tests: clients, INFO, waiting for a replica to
catch up, a dataset of every type and its comparison, servers started
with the options the tests rely on."""
import time

import redis

from support.servers import Server


def client(server):
    return redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=10)


def info(server, section="replication"):
    return client(server).info(section)


def wait_for(cond, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def wait_synced(master, replica, announced_port=None):
    """The replica's link is up, it applied all the master wrote, and the
    master counts it online (after a diskless sync the replica may finish
    loading before its master has seen the end of the transfer).  A replica
    announces its port (its TLS port with tls-replication)."""
    port = announced_port or replica.port
    def synced():
        i, mi = info(replica), info(master)
        online = any(isinstance(v, dict) and v.get("port") == port and
                     v.get("state") == "online" for k, v in mi.items() if k.startswith("slave"))
        return (i.get("master_link_status") == "up" and online and
                i.get("slave_repl_offset") == mi["master_repl_offset"])
    wait_for(synced, what="replica in sync")


def populate(r):
    """Every type pyredis has, two databases, some TTLs."""
    r.set("str", "v")
    r.set("int", 12345)
    r.set("ttl", "x", ex=1000)
    r.rpush("list", *range(10))
    r.hset("hash", mapping={"a": 1, "b": "two"})
    r.sadd("set", "a", "b", "c")
    r.sadd("intset", 1, 2, 3)
    r.zadd("zset", {"a": 1.5, "b": 2})
    r.execute_command("SELECT", 1)
    r.set("db1", "one")


def dataset(server):
    """Every key of databases 0 and 1 with its type, value and whether it
    has a TTL."""
    out = {}
    for db in (0, 1):
        r = redis.Redis(host="127.0.0.1", port=server.port, db=db, socket_timeout=10)
        for k in r.keys("*"):
            t = r.type(k).decode()
            v = {"string": r.get, "list": lambda k: r.lrange(k, 0, -1),
                 "hash": r.hgetall, "set": r.smembers,
                 "zset": lambda k: r.zrange(k, 0, -1, withscores=True)}[t](k)
            out[(db, k)] = (t, v, r.ttl(k) > 0)
    return out


def start(kind, *args):
    # a real master would wait 5 s for more replicas before a diskless sync
    return Server(kind, args=("--repl-diskless-sync-delay", "0") + args).start()


def replicate(servers, master_kind, replica_kind):
    m = servers(master_kind)
    populate(client(m))
    r = servers(replica_kind, "--replicaof", "127.0.0.1", m.port)
    wait_synced(m, r)
    return m, r


def stream_writes(m):
    c = client(m)
    c.set("new", "1")
    c.incr("int")
    c.lpush("list", "head")
    c.expire("str", 500)
    p = c.pipeline(transaction=True)
    p.set("tx1", "a")
    p.set("tx2", "b")
    p.execute()
    c.set("gone", "x", px=50)
    c.execute_command("SELECT", 1)
    c.delete("db1")
    c.set("db1b", "two")


PAIRS = [("ours", "redis"), ("redis", "ours"), ("ours", "ours")]
