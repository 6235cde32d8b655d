"""RDB snapshots: SAVE / BGSAVE / save points / shutdown save / loading at
start-up, and dump files exchanged with a real redis-server 7.0 both ways."""
import os
import shutil
import subprocess
import time

import pytest
import redis

from support.resp import RespClient
from support.servers import Server, require

DBFILE = "dump.rdb"


def raw(server, *cmd):
    c = RespClient(port=server.port)
    try:
        return c.call(*cmd)
    finally:
        c.close()


def client(server, **kw):
    return redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=20, **kw)


def populate(r):
    """Every type in every encoding, in two databases, some keys with TTLs."""
    r.set("str:int", 12345)
    r.set("str:neg", -98765432101)
    r.set("str:emb", "hello world")
    r.set("str:raw", "x" * 100)
    r.set("str:compressible", "abcdefgh" * 200)
    r.set("str:bin", bytes(range(256)))
    r.set("str:ttl", "soon", px=3_600_000)
    r.rpush("list:small", "a", 1, "bb", -5, "c" * 70)
    r.rpush("list:big", *["item-%d" % i for i in range(3000)])
    r.sadd("set:int16", 1, 2, 3, -7)
    r.sadd("set:int64", 1, 2**40, -(2**50))
    r.sadd("set:ht", *["m%d" % i for i in range(600)])
    r.sadd("set:str", "a", "b", "c")
    r.hset("hash:small", mapping={"f1": "v1", "f2": 2, "f3": "x" * 30})
    r.hset("hash:big", mapping={"field%d" % i: "value%d" % i for i in range(700)})
    r.zadd("zset:small", {"a": 1, "b": 2.5, "c": -3, "d": float("inf")})
    r.zadd("zset:big", {"member%d" % i: i * 1.5 for i in range(400)})
    r.zadd("zset:inf", {"lo": float("-inf"), "hi": float("inf"), "mid": 0})
    r.expire("zset:big", 7200)
    r.execute_command("SELECT", 3)
    r.set("db3:key", "in db 3")
    r.hset("db3:hash", "f", "v")
    r.execute_command("SELECT", 0)


def snapshot(r):
    """The whole dataset as Python values, per database: key -> (type,
    encoding, value, has_ttl)."""
    out = {}
    for db in range(16):
        r.execute_command("SELECT", db)
        keys = sorted(r.keys("*"))
        if not keys:
            continue
        d = {}
        for k in keys:
            t = r.type(k).decode()
            if t == "string":
                v = r.get(k)
            elif t == "list":
                v = r.lrange(k, 0, -1)
            elif t == "set":
                v = sorted(r.smembers(k))
            elif t == "hash":
                v = sorted(r.hgetall(k).items())
            elif t == "zset":
                v = r.zrange(k, 0, -1, withscores=True)
            else:
                v = None
            d[k] = (t, r.object("encoding", k), v, r.pttl(k) > 0)
        out[db] = d
    r.execute_command("SELECT", 0)
    return out


@pytest.fixture
def workdir(tmp_path):
    return str(tmp_path)


def start(kind, directory, *args):
    require(kind)
    return Server(kind, ["--dbfilename", DBFILE] + list(args), directory=directory).start()


def test_save_writes_a_file_redis_check_rdb_accepts(workdir):
    with start("pyredis", workdir) as s:
        r = client(s)
        populate(r)
        assert r.save() is True
    path = os.path.join(workdir, DBFILE)
    assert os.path.getsize(path) > 0
    check = subprocess.run(["redis-check-rdb", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "RDB looks OK!" in check.stdout


def test_pyredis_dump_loads_into_real_redis_with_identical_data(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    os.mkdir(a)
    os.mkdir(b)
    with start("pyredis", a) as s:
        r = client(s)
        populate(r)
        expected = snapshot(r)
        r.save()
    shutil.copy(os.path.join(a, DBFILE), os.path.join(b, DBFILE))
    with start("redis", b) as s:
        assert snapshot(client(s)) == expected


def test_real_redis_dump_loads_into_pyredis_with_identical_data(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    os.mkdir(a)
    os.mkdir(b)
    with start("redis", a) as s:
        r = client(s)
        populate(r)
        expected = snapshot(r)
        r.save()
    shutil.copy(os.path.join(a, DBFILE), os.path.join(b, DBFILE))
    with start("pyredis", b) as s:
        assert snapshot(client(s)) == expected
        out = s.output()
    assert "Loading RDB produced by version 7.0.15" in out
    assert "Done loading RDB, keys loaded: 20, keys expired: 0." in out
    assert "DB loaded from disk:" in out


def test_restart_keeps_ttls_and_skips_keys_that_expired_meanwhile(workdir):
    with start("pyredis", workdir) as s:
        r = client(s)
        r.set("stays", "v", px=3_600_000)
        r.set("goes", "v", px=300)
        r.set("plain", "v")
        r.save()
    time.sleep(0.5)
    with start("pyredis", workdir) as s:
        r = client(s)
        assert sorted(r.keys("*")) == [b"plain", b"stays"]
        assert 3_500_000 < r.pttl("stays") <= 3_600_000
        assert r.ttl("plain") == -1
        assert "keys loaded: 2, keys expired: 1." in s.output()
        assert r.info("persistence")["rdb_last_load_keys_expired"] == 1
        assert r.info("persistence")["rdb_last_load_keys_loaded"] == 2


def test_bgsave_writes_the_dataset_and_updates_info(workdir):
    with start("pyredis", workdir) as s:
        r = client(s)
        populate(r)
        before = r.lastsave()
        time.sleep(1.1)
        assert raw(s, "BGSAVE") == b"+Background saving started\r\n"
        deadline = time.time() + 20
        while r.info("persistence")["rdb_bgsave_in_progress"] and time.time() < deadline:
            time.sleep(0.05)
        info = r.info("persistence")
        assert info["rdb_bgsave_in_progress"] == 0
        assert info["rdb_last_bgsave_status"] == "ok"
        assert info["rdb_changes_since_last_save"] == 0
        assert r.lastsave() > before
        assert r.info("stats")["total_forks"] == 1
        expected = snapshot(r)
        assert s.wait_log("Background saving terminated with success")
        assert "DB saved on disk" in s.output()
    with start("pyredis", workdir) as s:
        assert snapshot(client(s)) == expected


def test_bgsave_while_one_runs_is_refused(workdir):
    with start("pyredis", workdir) as s:
        r = client(s)
        r.rpush("big", *range(200000))
        assert raw(s, "BGSAVE") == b"+Background saving started\r\n"
        assert raw(s, "BGSAVE") == b"-ERR Background save already in progress\r\n"


def test_bgsave_rejects_unknown_argument(workdir):
    with start("pyredis", workdir) as s:
        with pytest.raises(redis.ResponseError, match="syntax error"):
            client(s).execute_command("BGSAVE", "NOW")


def test_save_point_triggers_a_background_save(workdir):
    with start("pyredis", workdir, "--save", "1 1") as s:
        r = client(s)
        r.set("k", "v")
        assert s.wait_log("1 changes in 1 seconds. Saving...", timeout=5)
        assert s.wait_log("Background saving terminated with success", timeout=10)
    assert os.path.exists(os.path.join(workdir, DBFILE))


def test_shutdown_saves_when_save_points_are_set(workdir):
    with start("pyredis", workdir, "--save", "3600 1") as s:
        r = client(s)
        r.set("k", "v")
        r.shutdown()
        assert s.wait() == 0
        assert "Saving the final RDB snapshot before exiting." in s.output()
    with start("pyredis", workdir) as s:
        assert client(s).get("k") == b"v"


def test_shutdown_nosave_does_not_save(workdir):
    with start("pyredis", workdir, "--save", "3600 1") as s:
        r = client(s)
        r.set("k", "v")
        r.shutdown(nosave=True)
        assert s.wait() == 0
    assert not os.path.exists(os.path.join(workdir, DBFILE))


def test_debug_reload_keeps_the_data(workdir):
    with start("pyredis", workdir, "--enable-debug-command", "yes") as s:
        r = client(s)
        populate(r)
        expected = snapshot(r)
        assert r.execute_command("DEBUG", "RELOAD") == b"OK"
        assert snapshot(r) == expected
        assert "DB reloaded by DEBUG RELOAD" in s.output()
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command("DEBUG", "RELOAD", "FAST")
        assert str(e.value) == "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."


def test_corrupt_checksum_refuses_to_start(workdir):
    with start("pyredis", workdir) as s:
        client(s).set("k", "v" * 50)
        client(s).save()
    path = os.path.join(workdir, DBFILE)
    data = bytearray(open(path, "rb").read())
    data[-3] ^= 0xFF
    open(path, "wb").write(bytes(data))
    s = Server("pyredis", ["--dbfilename", DBFILE], directory=workdir)
    s.start(wait=False)
    try:
        assert s.wait(15) != 0
        assert "Wrong RDB checksum" in s.output()
    finally:
        s.stop()


def test_truncated_file_refuses_to_start(workdir):
    with start("pyredis", workdir) as s:
        r = client(s)
        r.rpush("l", *range(1000))
        r.save()
    path = os.path.join(workdir, DBFILE)
    data = open(path, "rb").read()
    open(path, "wb").write(data[:len(data) // 2])
    s = Server("pyredis", ["--dbfilename", DBFILE], directory=workdir)
    s.start(wait=False)
    try:
        assert s.wait(15) != 0
        assert "Short read or OOM loading DB. Unrecoverable error, aborting now." in s.output()
    finally:
        s.stop()


@pytest.mark.parametrize("kind", ["redis", "pyredis"])
def test_failed_bgsave_stops_writes_with_misconf(tmp_path, kind):
    gone = tmp_path / "gone"
    gone.mkdir()
    with start(kind, str(tmp_path), "--save", "3600 1", "--enable-protected-configs", "yes") as s:
        r = client(s)
        r.config_set("dir", str(gone))
        os.rmdir(gone)
        r.execute_command("BGSAVE")
        deadline = time.time() + 10
        while r.info("persistence")["rdb_last_bgsave_status"] == "ok" and time.time() < deadline:
            time.sleep(0.05)
        assert r.info("persistence")["rdb_last_bgsave_status"] == "err"
        with pytest.raises(redis.ResponseError) as e:
            r.set("k", "v")
        assert str(e.value).startswith("MISCONF Redis is configured to save RDB snapshots")
        assert r.get("k") is None
        r.config_set("stop-writes-on-bgsave-error", "no")
        assert r.set("k", "v") is True


def test_clients_get_loading_while_a_big_dump_loads(workdir):
    with start("pyredis", workdir) as s:
        r = client(s)
        pipe = r.pipeline(transaction=False)
        for i in range(400):
            pipe.mset({"key:%d:%d" % (i, j): j for j in range(1000)})
        pipe.execute()
        r.save()
    s = Server("pyredis", ["--dbfilename", DBFILE], directory=workdir)
    s.start(wait=False)
    try:
        seen_loading = None
        deadline = time.time() + 30
        while seen_loading is None and time.time() < deadline:
            try:
                c = RespClient(port=s.port)
            except OSError:
                time.sleep(0.01)
                continue
            # one packet: both run in the same turn of the server's loop
            c.sock.sendall(b"GET key:1:1\r\nINFO persistence\r\n")
            first, second = c.read_reply(), c.read_reply()
            c.close()
            if first.startswith(b"-LOADING"):
                assert first == b"-LOADING Redis is loading the dataset in memory\r\n"
                seen_loading = dict(line.split(":", 1) for line in
                                    second.decode().split("\r\n")[1:] if ":" in line)
                assert seen_loading["loading"] == "1"
            else:
                assert first == b"$1\r\n1\r\n"    # loading is over already
                break
        assert seen_loading is not None, "the server answered only after loading"
        assert int(seen_loading["loading_total_bytes"]) > 0
        assert 0 <= float(seen_loading["loading_loaded_perc"]) <= 100
        s.wait_ready(30)
        assert redis.Redis(host="127.0.0.1", port=s.port).dbsize() == 400000
    finally:
        s.stop()


def _old_rdb(version):
    """An RDB file as Redis 6 and older wrote it: ziplist-based types,
    a seconds-resolution expire, checksum (from version 5) over the file."""
    import struct
    from support import rdbpayload as P
    far = int(time.time()) + 86400
    body = b"REDIS%04d" % version
    body += b"\xfa" + P.string("redis-ver") + P.string("6.2.6")
    body += b"\xfe\x00"                                     # SELECTDB 0
    body += b"\x00" + P.string("plain") + P.string("value")
    body += b"\xfd" + struct.pack("<I", far)                 # EXPIRETIME (s)
    body += b"\x00" + P.string("ttl") + P.string("x")
    body += b"\x0d" + P.string("zlhash") + P.string(P.ziplist([b"f1", b"v1", b"f2", 7]))
    body += b"\x0c" + P.string("zlzset") + P.string(P.ziplist([b"a", 1, b"b", b"2.5"]))
    body += b"\x0e" + P.string("qlist") + P.length(2) + \
        P.string(P.ziplist([b"x", 1, 2])) + P.string(P.ziplist([b"y"]))
    body += b"\x0b" + P.string("iset") + P.string(P.intset([1, 5, 300], 2))
    body += b"\x03" + P.string("oldzset") + P.length(2) + P.string("m1") + \
        P.old_double(1.5) + P.string("m2") + P.old_double(float("inf"))
    body += b"\xff"
    if version >= 5:
        body += struct.pack("<Q", P.crc64(body))
    return body


@pytest.mark.parametrize("version", [9, 7, 3])
def test_older_rdb_versions_load_as_in_real_redis(tmp_path, version):
    data = _old_rdb(version)
    results = {}
    for kind in ("redis", "pyredis"):
        d = tmp_path / kind
        d.mkdir()
        (d / DBFILE).write_bytes(data)
        with start(kind, str(d)) as s:
            results[kind] = snapshot(client(s))
    assert results["pyredis"] == results["redis"]
    assert len(results["pyredis"][0]) == 7


def _allowed_cpus(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Cpus_allowed_list:"):
                return line.split()[1]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs")
def test_server_and_bgsave_cpulists_bind_the_processes(workdir):
    with start("pyredis", workdir, "--server_cpulist", "0", "--bgsave_cpulist", "1") as s:
        assert _allowed_cpus(s.pid) == "0"
        r = client(s)
        r.mset({"k%d" % i: i for i in range(200)})
        r.config_set("rdb-key-save-delay", 20000)     # 20 ms a key: the child stays
        assert raw(s, "BGSAVE") == b"+Background saving started\r\n"
        with open("/proc/%d/task/%d/children" % (s.pid, s.pid)) as f:
            child = int(f.read().split()[0])
        assert _allowed_cpus(child) == "1"
        r.config_set("rdb-key-save-delay", 0)


def test_malformed_cpulist_binds_nothing(workdir):
    with start("pyredis", workdir, "--server_cpulist", "x-y") as s:
        assert _allowed_cpus(s.pid) == _allowed_cpus(os.getpid())
