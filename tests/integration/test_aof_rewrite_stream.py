"""AOF rewrite of streams: the base file holds the commands Redis 7.0's
rewriteStreamObject writes (XADD per entry or XADD MAXLEN 0 for an empty
stream, XSETID with the counters, XGROUP CREATE ... ENTRIESREAD, XCLAIM
... JUSTID FORCE per pending entry, XGROUP CREATECONSUMER for the idle
consumers), and a restart from it rebuilds the same stream."""
import glob
import os
import time

import redis

from support.aoffile import parse_aof
from support.servers import Server, require


def populate(r):
    for i in range(1, 8):
        r.xadd("s", {"f": i, "g": "x"} if i % 3 else {"h": i}, id="%d-1" % i)
    r.xdel("s", "3-1")
    r.execute_command("XGROUP", "CREATE", "s", "g1", "0", "ENTRIESREAD", "1")
    r.execute_command("XGROUP", "CREATE", "s", "g0", "$")
    for ident, cons, t, n in (("1-1", "bob", 1700000000000, 2), ("5-1", "alice", 1700000000005, 1),
                              ("2-1", "bob", 1700000000009, 4)):
        r.xclaim("s", "g1", cons, 0, [ident], time=t, retrycount=n, force=True, justid=True)
    r.execute_command("XGROUP", "CREATECONSUMER", "s", "g1", "carol")
    r.execute_command("XSETID", "s", "20-0", "ENTRIESADDED", "30", "MAXDELETEDID", "10-0")
    r.xadd("e", {"a": 1}, id="4-4")
    r.xdel("e", "4-4")


def base_commands(directory):
    [path] = glob.glob(os.path.join(directory, "appendonlydir", "*.base.aof"))
    with open(path, "rb") as f:
        return [c for c in parse_aof(f.read()) if c[0] != "#"]


def rewrite(kind, directory):
    require(kind)
    os.mkdir(directory)
    with Server(kind, ["--appendonly", "yes", "--aof-use-rdb-preamble", "no"],
                directory=directory) as srv:
        r = redis.Redis(host="127.0.0.1", port=srv.port)
        populate(r)
        r.bgrewriteaof()
        deadline = time.time() + 20
        while r.info("persistence")["aof_rewrite_in_progress"] or \
                r.info("persistence")["aof_rewrite_scheduled"]:
            assert time.time() < deadline
            time.sleep(0.05)
        time.sleep(0.1)
        return base_commands(directory)


def by_key(cmds):
    out = {}
    for c in cmds:
        if c[0].upper() == b"SELECT":
            continue
        key = c[1] if c[0].upper() in (b"XADD", b"XSETID", b"XCLAIM") else c[2]
        out.setdefault(key, []).append(c)
    return out


def test_rewritten_stream_commands_match_redis(tmp_path):
    real = rewrite("redis", str(tmp_path / "r"))
    ours = rewrite("pyredis", str(tmp_path / "o"))
    assert by_key(ours) == by_key(real)
    assert [b"XADD", b"e", b"MAXLEN", b"0", b"0-1", b"x", b"y"] in ours


def test_restart_from_rewritten_aof_rebuilds_the_stream(tmp_path):
    d = str(tmp_path / "o")
    os.mkdir(d)
    require("pyredis")
    with Server("pyredis", ["--appendonly", "yes", "--aof-use-rdb-preamble", "no"],
                directory=d) as srv:
        r = redis.Redis(host="127.0.0.1", port=srv.port)
        populate(r)
        before = (r.xrange("s"), r.execute_command("XINFO", "STREAM", "s"),
                  r.execute_command("XINFO", "GROUPS", "s"), r.xpending_range("s", "g1", "-", "+", 10),
                  r.execute_command("XINFO", "STREAM", "e"))
        r.bgrewriteaof()
        time.sleep(1)
    with Server("pyredis", ["--appendonly", "yes"], directory=d) as srv:
        r = redis.Redis(host="127.0.0.1", port=srv.port)
        after = (r.xrange("s"), r.execute_command("XINFO", "STREAM", "s"),
                 r.execute_command("XINFO", "GROUPS", "s"), r.xpending_range("s", "g1", "-", "+", 10),
                 r.execute_command("XINFO", "STREAM", "e"))
    assert [(p["message_id"], p["consumer"], p["times_delivered"]) for p in after[3]] == \
        [(p["message_id"], p["consumer"], p["times_delivered"]) for p in before[3]]
    assert after[:3] == before[:3] and after[4] == before[4]


def test_replayed_aof_applies_propagated_trims_and_claims(tmp_path):
    """The incr file (XCLAIM ... LASTID, XADD/XTRIM ... = n LIMIT k) loads
    back into the same stream: the loader obeys LIMIT-with-= as Redis's
    AOF client does."""
    d = str(tmp_path / "o")
    os.mkdir(d)
    require("pyredis")
    args = ["--appendonly", "yes", "--stream-node-max-entries", "4"]

    def snap(r):
        return (r.xrange("s"), r.execute_command("XINFO", "STREAM", "s"),
                r.execute_command("XINFO", "GROUPS", "s"),
                [(p["message_id"], p["consumer"], p["times_delivered"])
                 for p in r.xpending_range("s", "g", "-", "+", 100)])
    with Server("pyredis", args, directory=d) as srv:
        r = redis.Redis(host="127.0.0.1", port=srv.port)
        for i in range(1, 40):
            r.xadd("s", {"f": i}, id="%d-1" % i)
        r.xgroup_create("s", "g", id="0")
        r.xreadgroup("g", "a", {"s": ">"}, count=10)
        r.xreadgroup("g", "b", {"s": ">"}, count=5, noack=True)
        r.xtrim("s", maxlen=10, approximate=True, limit=8)
        r.xadd("s", {"f": "x"}, id="50-1", minid="20", approximate=True, limit=4)
        r.xclaim("s", "g", "c", 0, ["12-1", "13-1"])
        r.xautoclaim("s", "g", "d", 0, "0", count=2)
        before = snap(r)
    with Server("pyredis", args, directory=d) as srv:
        after = snap(redis.Redis(host="127.0.0.1", port=srv.port))
    assert after == before
