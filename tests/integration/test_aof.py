"""The append-only file across restarts: data survives, acknowledged
writes survive kill -9 with appendfsync always, truncated and corrupt files
are handled as Redis handles them, and real Redis 7.0 reads our directory
and we read its (AOF-format base)."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from support.aoffile import incr_files, parse_aof
from support.resp import RespClient
from support.servers import REDIS_SERVER, Server, require, run_server_once

AOF = ["--appendonly", "yes"]

DATASET = [
    ("SET", "s", "hello"), ("SET", "n", "12345"), ("SET", "t", "v", "PX", "100000"),
    ("RPUSH", "l") + tuple("e%d" % i for i in range(150)),
    ("HSET", "h") + tuple(x for i in range(100) for x in ("f%d" % i, "v%d" % i)),
    ("HSET", "hs", "a", "1"), ("SADD", "st") + tuple(str(i) for i in range(70)),
    ("SADD", "ss", "x", "y"), ("ZADD", "z") + tuple(x for i in range(130) for x in (str(i * 1.5), "m%d" % i)),
    ("ZADD", "zs", "1", "a", "inf", "b"), ("SELECT", "3"), ("SET", "db3", "x"), ("SELECT", "0"),
]

# hash and set iteration orders depend on the hash seed: compare contents
CHECKS = [("GET", "s"), ("GET", "n"), ("LRANGE", "l", "0", "-1"), ("HLEN", "h"),
          ("HMGET", "h") + tuple("f%d" % i for i in range(100)), ("HGETALL", "hs"),
          ("SMEMBERS", "st"), ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
          ("ZRANGE", "zs", "0", "-1", "WITHSCORES"), ("SMISMEMBER", "ss", "x", "y", "z"),
          ("SCARD", "ss"), ("DBSIZE",)]


def snapshot(conn):
    out = [conn.call(*c) for c in CHECKS]
    out.append(conn.call("PTTL", "t") != b":-1\r\n")
    conn.call("SELECT", "3")
    out.append(conn.call("GET", "db3"))
    conn.call("SELECT", "0")
    return out


def fill(conn):
    for cmd in DATASET:
        assert not conn.call(*cmd).startswith(b"-")


def test_restart_preserves_every_type():
    require("pyredis")
    d = tempfile.mkdtemp()
    try:
        with Server("pyredis", AOF, directory=d) as s:
            conn = RespClient(port=s.port)
            fill(conn)
            before = snapshot(conn)
        with Server("pyredis", AOF, directory=d) as s:
            assert snapshot(RespClient(port=s.port)) == before
            assert "DB loaded from append only file" in s.output()
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("kind", ["redis", "pyredis"])
@pytest.mark.parametrize("preamble,suffix", [("yes", "rdb"), ("no", "aof")])
def test_fresh_start_creates_base_incr_and_manifest(kind, preamble, suffix):
    require(kind)
    with Server(kind, AOF + ["--aof-use-rdb-preamble", preamble]) as s:
        base = "appendonly.aof.1.base.%s" % suffix
        files = sorted(os.listdir(os.path.join(s.dir, "appendonlydir")))
        assert files == [base, "appendonly.aof.1.incr.aof", "appendonly.aof.manifest"]
        with open(os.path.join(s.dir, "appendonlydir", "appendonly.aof.manifest")) as f:
            assert f.read() == ("file %s seq 1 type b\n"
                                "file appendonly.aof.1.incr.aof seq 1 type i\n" % base)
        assert "Creating AOF base file %s on server start" % base in s.output()
        assert "Creating AOF incr file appendonly.aof.1.incr.aof on server start" in s.output()


def _aof_sizes(port):
    info = RespClient(port=port).call("INFO", "persistence").decode()
    fields = dict(l.split(":", 1) for l in info.split("\r\n") if ":" in l)
    return int(fields["aof_current_size"]), int(fields["aof_base_size"])


def test_aof_sizes_count_the_start_up_base_only_after_a_restart():
    """A base written at a fresh start is not in aof_base_size or
    aof_current_size until a restart loads it, in both servers."""
    sizes = {}
    for kind in ("redis", "pyredis"):
        require(kind)
        d = tempfile.mkdtemp()
        try:
            with Server(kind, AOF, directory=d) as s:
                RespClient(port=s.port).call("SET", "k", "v")
                fresh = _aof_sizes(s.port)
            with Server(kind, AOF, directory=d) as s:
                base = os.path.getsize(os.path.join(d, "appendonlydir",
                                                    "appendonly.aof.1.base.rdb"))
                sizes[kind] = (fresh, _aof_sizes(s.port), base)
        finally:
            shutil.rmtree(d)
    for kind, (fresh, restarted, base) in sizes.items():
        assert fresh[1] == 0, kind
        assert restarted[1] == base, kind
        assert restarted[0] == base + fresh[0], kind
    assert sizes["pyredis"][0] == sizes["redis"][0]


def test_always_keeps_every_acknowledged_write_after_kill_9():
    require("pyredis")
    d = tempfile.mkdtemp()
    try:
        s = Server("pyredis", AOF + ["--appendfsync", "always"], directory=d).start()
        conn = RespClient(port=s.port)
        acked = 0
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            assert conn.call("SET", "k%d" % acked, "v") == b"+OK\r\n"
            acked += 1
        conn.send("SET", "unacked", "v")
        os.kill(s.pid, signal.SIGKILL)
        s.proc.wait()
        s.stop()
        with Server("pyredis", AOF, directory=d) as s2:
            c2 = RespClient(port=s2.port)
            for i in range(acked):
                assert c2.call("EXISTS", "k%d" % i) == b":1\r\n"
    finally:
        shutil.rmtree(d)


def test_everysec_loses_at_most_about_two_seconds_after_kill_9():
    require("pyredis")
    d = tempfile.mkdtemp()
    try:
        s = Server("pyredis", AOF + ["--appendfsync", "everysec"], directory=d).start()
        conn = RespClient(port=s.port)
        for i in range(200):
            conn.call("SET", "k%d" % i, "v")
        time.sleep(2.5)
        os.kill(s.pid, signal.SIGKILL)
        s.proc.wait()
        s.stop()
        with Server("pyredis", AOF, directory=d) as s2:
            assert RespClient(port=s2.port).call("DBSIZE") == b":200\r\n"
    finally:
        shutil.rmtree(d)


def _dir_with_incr(tail):
    """A server directory whose incr file ends with `tail` bytes added."""
    d = tempfile.mkdtemp()
    with Server("pyredis", AOF, directory=d) as s:
        RespClient(port=s.port).call("SET", "a", "1")
    path = incr_files(d)[-1]
    with open(path, "ab") as f:
        f.write(tail)
    return d, path


def test_truncated_tail_is_cut_when_aof_load_truncated_yes():
    require("pyredis")
    d, path = _dir_with_incr(b"*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1")
    try:
        with Server("pyredis", AOF + ["--aof-load-truncated", "yes"], directory=d) as s:
            conn = RespClient(port=s.port)
            assert conn.call("GET", "a") == b"$1\r\n1\r\n"
            assert conn.call("EXISTS", "b") == b":0\r\n"
            assert "AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled" in s.output()
        with open(path, "rb") as f:
            assert parse_aof(f.read())[-1] == [b"SET", b"a", b"1"]
    finally:
        shutil.rmtree(d)


def test_truncated_tail_refuses_to_start_when_aof_load_truncated_no():
    require("pyredis")
    d, path = _dir_with_incr(b"*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1")
    try:
        r = run_server_once("pyredis", ["--port", "0", "--dir", d] + AOF +
                            ["--aof-load-truncated", "no"], cwd=d)
        assert r.returncode == 1
        assert "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof" in r.stdout
    finally:
        shutil.rmtree(d)


def test_unfinished_multi_is_reverted():
    require("pyredis")
    d, path = _dir_with_incr(b"*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n")
    try:
        with Server("pyredis", AOF, directory=d) as s:
            assert RespClient(port=s.port).call("EXISTS", "b") == b":0\r\n"
            assert "Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof" in s.output()
    finally:
        shutil.rmtree(d)


def test_corrupt_file_is_a_clear_error_and_exit_1():
    require("pyredis")
    d, path = _dir_with_incr(b"garbage\r\n")
    try:
        r = run_server_once("pyredis", ["--port", "0", "--dir", d] + AOF, cwd=d)
        assert r.returncode == 1
        assert ("Bad file format reading the append only file appendonly.aof.1.incr.aof: "
                "make a backup of your AOF file, then use ./redis-check-aof --fix "
                "<filename.manifest>") in r.stdout
    finally:
        shutil.rmtree(d)


def test_bad_manifest_is_fatal():
    require("pyredis")
    d = tempfile.mkdtemp()
    try:
        os.mkdir(os.path.join(d, "appendonlydir"))
        with open(os.path.join(d, "appendonlydir", "appendonly.aof.manifest"), "w") as f:
            f.write("file appendonly.aof.1.incr.aof seq 1 type x\n")
        r = run_server_once("pyredis", ["--port", "0", "--dir", d] + AOF, cwd=d)
        assert r.returncode == 1
        assert "Unknown AOF file type" in r.stdout
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("preamble", ["yes", "no"])
@pytest.mark.parametrize("writer,reader", [("pyredis", "redis"), ("redis", "pyredis")])
def test_appendonlydir_moves_between_servers(writer, reader, preamble):
    require("pyredis")
    require("redis")
    d = tempfile.mkdtemp()
    try:
        args = AOF + ["--aof-use-rdb-preamble", preamble]
        with Server(writer, args, directory=d) as w:
            conn = RespClient(port=w.port)
            fill(conn)
            before = snapshot(conn)
        with Server(reader, args, directory=d) as r:
            assert snapshot(RespClient(port=r.port)) == before
    finally:
        shutil.rmtree(d)


def test_redis_check_aof_accepts_our_directory():
    require("pyredis")
    check = shutil.which("redis-check-aof")
    if check is None:
        pytest.skip("redis-check-aof is not installed")
    d = tempfile.mkdtemp()
    try:
        with Server("pyredis", AOF, directory=d) as s:
            fill(RespClient(port=s.port))
        r = subprocess.run([check, os.path.join(d, "appendonlydir", "appendonly.aof.manifest")],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "is valid" in r.stdout
    finally:
        shutil.rmtree(d)
