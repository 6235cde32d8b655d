"""Streams in RDB files and DUMP payloads exchanged with a real
redis-server 7.0 both ways: entries, node layout, counters, groups, PELs
(delivery times and counts) and consumers (seen times) survive."""
import os
import shutil
import subprocess

import pytest
import redis

from support import rdbpayload as P
from support.resp import Error, RespClient, parse
from support.servers import Server, require

DBFILE = "dump.rdb"


def start(kind, directory, *args):
    require(kind)
    return Server(kind, ["--dbfilename", DBFILE] + list(args), directory=directory).start()


def client(server):
    return redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=20)


def populate(r):
    r.config_set("stream-node-max-entries", 7)
    for i in range(1, 60):
        fields = {"f": i, "g": "x" * (i % 5)} if i % 3 else {"other": "v%d" % i}
        r.xadd("st:big", fields, id="%d-%d" % (1000 + i, i % 4))
    r.xdel("st:big", "1003-3", "1030-2", "1058-2")
    r.xgroup_create("st:big", "g1", id="0")
    r.xgroup_create("st:big", "g2", id="1020-0")
    r.execute_command("XGROUP", "CREATE", "st:big", "g3", "$", "ENTRIESREAD", "40")
    r.xreadgroup("g1", "alice", {"st:big": ">"}, count=10)
    r.xreadgroup("g1", "bob", {"st:big": ">"}, count=5)
    r.xreadgroup("g2", "carol", {"st:big": ">"}, count=3, noack=True)
    r.execute_command("XCLAIM", "st:big", "g1", "dave", "0", "1005-1", "1006-2",
                      "TIME", "1700000000000", "RETRYCOUNT", "9")
    r.execute_command("XGROUP", "CREATECONSUMER", "st:big", "g1", "idle")
    r.xadd("st:small", {"a": 1}, id="1-1")
    r.xadd("st:empty", {"a": 1}, id="5-5")
    r.xdel("st:empty", "5-5")
    r.execute_command("XGROUP", "CREATE", "st:mk", "g", "$", "MKSTREAM")
    r.execute_command("XSETID", "st:small", "100-0", "ENTRIESADDED", "7", "MAXDELETEDID", "50-0")


def snapshot(r):
    out = {}
    for k in sorted(r.keys("st:*")):
        out[k] = (r.type(k), r.object("encoding", k),
                  r.xrange(k), r.execute_command("XINFO", "STREAM", k, "FULL"),
                  r.execute_command("XINFO", "STREAM", k))
    return out


def _roundtrip(tmp_path, first, second):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    os.mkdir(a)
    os.mkdir(b)
    with start(first, a) as s:
        r = client(s)
        populate(r)
        expected = snapshot(r)
        assert r.save() is True
    shutil.copy(os.path.join(a, DBFILE), os.path.join(b, DBFILE))
    with start(second, b) as s:
        got = snapshot(client(s))
    assert got == expected
    return os.path.join(a, DBFILE)


def test_pyredis_streams_load_into_real_redis(tmp_path):
    path = _roundtrip(tmp_path, "pyredis", "redis")
    check = subprocess.run(["redis-check-rdb", path], capture_output=True, text=True)
    assert check.returncode == 0 and "RDB looks OK!" in check.stdout, check.stdout


def test_real_redis_streams_load_into_pyredis(tmp_path):
    _roundtrip(tmp_path, "redis", "pyredis")


def test_dump_payloads_cross_both_ways(tmp_path):
    d1, d2 = str(tmp_path / "r"), str(tmp_path / "o")
    os.mkdir(d1)
    os.mkdir(d2)
    with start("redis", d1) as real, start("pyredis", d2) as ours:
        rr, ro = client(real), client(ours)
        populate(rr)
        populate(ro)
        for k in sorted(rr.keys("st:*")):
            pr, po = rr.dump(k), ro.dump(k)
            rr.restore(k + b":from-ours", 0, po)
            ro.restore(k + b":from-real", 0, pr)
            assert rr.xrange(k + b":from-ours") == ro.xrange(k + b":from-real")
            assert rr.execute_command("XINFO", "STREAM", k + b":from-ours") == \
                ro.execute_command("XINFO", "STREAM", k)
            assert ro.execute_command("XINFO", "STREAM", k + b":from-real") == \
                rr.execute_command("XINFO", "STREAM", k)
            full = ro.execute_command("XINFO", "STREAM", k + b":from-real", "FULL")
            assert full == rr.execute_command("XINFO", "STREAM", k, "FULL")


def _v1_payload():
    """A type-15 (Redis 5/6) stream: one node, one group with a PEL."""
    master = b"\x00" * 7 + b"\x01" + b"\x00" * 8                 # 1-0
    lp = P.listpack([2, 0, 1, b"f", 0,                             # master entry
                     2, 0, 0, b"v1", 4,                            # 1-0 SAMEFIELDS
                     2, 0, 1, b"v2", 4])                           # 1-1
    body = b"\x0f" + P.length(1) + P.string(master) + P.string(lp)
    body += P.length(2) + P.length(1) + P.length(1)               # length, last id 1-1
    body += P.length(1) + P.string(b"grp") + P.length(1) + P.length(0)   # group at 1-0
    body += P.length(1) + master + (1700000000000).to_bytes(8, "little") + P.length(3)
    body += P.length(1) + P.string(b"cons") + (1700000000001).to_bytes(8, "little")
    body += P.length(1) + master
    return P.payload(body, version=9)


def test_type_15_streams_restore_as_in_real_redis(tmp_path):
    payload = _v1_payload()
    d1, d2 = str(tmp_path / "r"), str(tmp_path / "o")
    os.mkdir(d1)
    os.mkdir(d2)
    with start("redis", d1) as real, start("pyredis", d2) as ours:
        results = []
        for s in (real, ours):
            r = client(s)
            r.restore("s", 0, payload)
            results.append((r.xrange("s"), r.execute_command("XINFO", "STREAM", "s", "FULL"),
                            r.execute_command("XINFO", "GROUPS", "s")))
        assert results[0] == results[1]
        assert results[1][0] == [(b"1-0", {b"f": b"v1"}), (b"1-1", {b"f": b"v2"})]


def test_corrupted_stream_payloads_never_crash_the_server(tmp_path):
    """Every byte of a stream payload changed in turn, the checksum fixed
    up: RESTORE refuses it or the key works; the server stays up."""
    d = str(tmp_path / "o")
    os.mkdir(d)
    with start("pyredis", d) as ours:
        r = client(ours)
        r.config_set("stream-node-max-entries", 3)
        for i in range(1, 8):
            r.xadd("s", {"f": i, "g": "x"} if i % 2 else {"h": i}, id="%d-1" % i)
        r.xgroup_create("s", "g", id="0")
        r.xreadgroup("g", "c", {"s": ">"}, count=3)
        body = r.dump("s")[:-10]
        conn = RespClient(port=ours.port)
        refused = 0
        try:
            for pos in range(len(body)):
                for delta in (1, 0x80):
                    bad = bytearray(body)
                    bad[pos] = (bad[pos] + delta) & 0xFF
                    reply = parse(conn.call("RESTORE", "x", "0", P.payload(bytes(bad)), "REPLACE"))
                    if isinstance(reply, Error):
                        assert b"Bad data format" in reply.message, reply
                        refused += 1
                        continue
                    for cmd in (("XRANGE", "x", "-", "+"), ("XREVRANGE", "x", "+", "-"),
                                ("XINFO", "STREAM", "x", "FULL"), ("XLEN", "x"),
                                ("XADD", "x", "*", "a", "b"), ("XTRIM", "x", "MAXLEN", "2"),
                                ("XPENDING", "x", "g", "-", "+", "10"), ("DUMP", "x")):
                        conn.call(*cmd)
            assert parse(conn.call("PING")) == b"PONG"
        finally:
            conn.close()
        assert refused > len(body)
