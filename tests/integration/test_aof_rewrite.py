"""AOF rewrites (BGREWRITEAOF, automatic, CONFIG SET appendonly at runtime)
as Redis 7.0 does them with a multi-part AOF: what the directory and its
manifest hold afterwards, that nothing written during a rewrite is lost,
that real Redis loads the result, and that replies and scheduling match
real Redis.

A rewrite is made slow, and so observable, with rdb-key-save-delay (a
hidden Redis setting: microseconds slept per key the child writes)."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from support.resp import RespClient, parse
from support.servers import REDIS_SERVER, Server, require

AOF = ["--appendonly", "yes"]
SLOW = ["--rdb-key-save-delay", "200"]     # ~0.4 s for the 2000-key dataset
NKEYS = 2000
DIRNAME = "appendonlydir"
MANIFEST = "appendonly.aof.manifest"
TIMEOUT = 30.0


# --- helpers ---------------------------------------------------------------------

def info(conn):
    text = parse(conn.call("INFO", "persistence")).decode()
    return dict(line.split(":", 1) for line in text.split("\r\n") if ":" in line)


def wait_until(pred, timeout=TIMEOUT, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


def wait_no_child(conn):
    wait_until(lambda: (lambda i: i["aof_rewrite_in_progress"] == "0" and
                        i["rdb_bgsave_in_progress"] == "0" and
                        i["aof_rewrite_scheduled"] == "0")(info(conn)),
               what="children to end")


def pipeline(conn, commands):
    for cmd in commands:
        conn.send(*cmd)
    return [conn.read_reply() for _ in commands]


def fill(conn, n=NKEYS):
    """n keys of every type, some with a TTL, in two databases."""
    cmds = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            cmds.append(("SET", "s:%d" % i, "v%d" % i))
        elif kind == 1:
            cmds.append(("RPUSH", "l:%d" % i) + tuple("e%d" % j for j in range(i % 90)) + ("x",))
        elif kind == 2:
            cmds.append(("HSET", "h:%d" % i, "f", str(i), "g", "x" * (i % 70)))
        elif kind == 3:
            cmds.append(("SADD", "t:%d" % i) + tuple(str(j) for j in range(i % 20 + 1)))
        else:
            cmds.append(("ZADD", "z:%d" % i, "1.5", "a", str(i), "b"))
        if i % 97 == 0:
            cmds.append(("PEXPIRE", cmds[-1][1], "100000000"))
    cmds += [("SELECT", "5"), ("SET", "in5", "yes"), ("SELECT", "0")]
    for reply in pipeline(conn, cmds):
        assert not reply.startswith(b"-"), reply


READ = {"string": ("GET",), "list": ("LRANGE", "0", "-1"), "hash": ("HGETALL",),
        "set": ("SMEMBERS",), "zset": ("ZRANGE", "0", "-1", "WITHSCORES")}


def digest(conn):
    """The dataset, order-free: every key's type, value and whether it has
    a TTL, in databases 0 and 5."""
    out = {}
    for db in ("0", "5"):
        conn.call("SELECT", db)
        keys = parse(conn.call("KEYS", "*"))
        types = [parse(r).decode() for r in pipeline(conn, [("TYPE", k) for k in keys])]
        cmds = []
        for k, t in zip(keys, types):
            read = READ[t]
            cmds += [(read[0], k) + read[1:], ("PTTL", k)]
        replies = [parse(r) for r in pipeline(conn, cmds)]
        for i, (k, t) in enumerate(zip(keys, types)):
            v, ttl = replies[2 * i], replies[2 * i + 1]
            if t in ("hash", "set"):
                v = tuple(sorted(v))
            elif isinstance(v, list):
                v = tuple(v)
            out[(db, k)] = (t, v, ttl > 0)
    conn.call("SELECT", "0")
    return out


def write_while_rewriting(conn, prefix="during"):
    """Keep writing until the rewrite ends; returns how many writes were
    acknowledged while it ran (the last INFO still said in progress)."""
    written = 0
    deadline = time.monotonic() + TIMEOUT
    while info(conn)["aof_rewrite_in_progress"] == "1":
        assert time.monotonic() < deadline, "rewrite did not end"
        replies = pipeline(conn, [("SET", "%s:%d" % (prefix, written + j), "x")
                                  for j in range(20)])
        assert all(r == b"+OK\r\n" for r in replies)
        written += 20
        time.sleep(0.005)
    return written


def read_manifest(d):
    with open(os.path.join(d, DIRNAME, MANIFEST)) as f:
        return f.read()


def dir_files(d):
    return sorted(os.listdir(os.path.join(d, DIRNAME)))


def temp_files(d):
    return sorted(f for f in os.listdir(d) if f.startswith("temp-"))


def child_pids(pid):
    """Processes whose parent is pid (the server's forked child)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return out


@pytest.fixture
def workdir():
    d = tempfile.mkdtemp(prefix="pyredis-aofrw-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


# --- BGREWRITEAOF: the directory afterwards and restarts -----------------------------

@pytest.fixture(scope="module", params=["yes", "no"], ids=["rdb-preamble", "aof-base"])
def rewritten(request):
    """A pyredis directory after a BGREWRITEAOF with writes during it:
    (dir, preamble, data digest, writes during the rewrite, server log)."""
    require("pyredis")
    d = tempfile.mkdtemp(prefix="pyredis-aofrw-")
    preamble = request.param
    with Server("pyredis", AOF + SLOW + ["--aof-use-rdb-preamble", preamble],
                directory=d) as s:
        conn = RespClient(port=s.port)
        fill(conn)
        assert conn.call("BGREWRITEAOF") == b"+Background append only file rewriting started\r\n"
        during = write_while_rewriting(conn)
        wait_no_child(conn)
        conn.call("SET", "after", "1")
        data = digest(conn)
        log = s.output()
    yield d, preamble, data, during, log
    shutil.rmtree(d, ignore_errors=True)


def _copy(src):
    d = tempfile.mkdtemp(prefix="pyredis-aofrw-")
    shutil.copytree(os.path.join(src, DIRNAME), os.path.join(d, DIRNAME))
    return d


def test_rewrite_ran_while_writes_went_on(rewritten):
    d, preamble, data, during, log = rewritten
    assert during > 0
    assert ("0", b"during:0") in data and ("0", b"during:%d" % (during - 1)) in data


def test_manifest_names_the_new_base_and_incr_and_old_files_are_gone(rewritten):
    d, preamble, data, during, log = rewritten
    base = "appendonly.aof.2.base.%s" % ("rdb" if preamble == "yes" else "aof")
    assert read_manifest(d) == ("file %s seq 2 type b\n"
                                "file appendonly.aof.2.incr.aof seq 2 type i\n" % base)
    assert dir_files(d) == [base, "appendonly.aof.2.incr.aof", MANIFEST]
    assert temp_files(d) == []


def test_rewrite_logs_as_redis(rewritten):
    d, preamble, data, during, log = rewritten
    for line in ("Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite",
                 "Background append only file rewriting started by pid ",
                 "Successfully created the temporary AOF base file temp-rewriteaof-bg-",
                 "Background AOF rewrite terminated with success",
                 "Successfully renamed the temporary AOF base file temp-rewriteaof-bg-",
                 "Removing the history file appendonly.aof.1.incr.aof in the background",
                 "Removing the history file appendonly.aof.1.base.",
                 "Background AOF rewrite finished successfully"):
        assert line in log, line


def test_data_and_writes_during_the_rewrite_survive_a_restart(rewritten):
    d = _copy(rewritten[0])
    try:
        with Server("pyredis", AOF, directory=d) as s:
            assert digest(RespClient(port=s.port)) == rewritten[2]
    finally:
        shutil.rmtree(d)


def test_real_redis_loads_the_rewritten_directory(rewritten):
    require("redis")
    d = _copy(rewritten[0])
    try:
        with Server("redis", AOF, directory=d) as s:
            assert digest(RespClient(port=s.port)) == rewritten[2]
    finally:
        shutil.rmtree(d)


def test_redis_check_aof_accepts_the_rewritten_directory(rewritten):
    check = shutil.which("redis-check-aof")
    if check is None:
        pytest.skip("redis-check-aof is not installed")
    r = subprocess.run([check, os.path.join(rewritten[0], DIRNAME, MANIFEST)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "is valid" in r.stdout


def test_info_after_a_rewrite(workdir):
    require("pyredis")
    with Server("pyredis", AOF, directory=workdir) as s:
        conn = RespClient(port=s.port)
        fill(conn, 200)
        t0 = int(time.time())
        conn.call("BGREWRITEAOF")
        wait_no_child(conn)
        t1 = int(time.time())
        i = info(conn)
        assert i["aof_rewrites"] == "1"
        assert i["aof_last_bgrewrite_status"] == "ok"
        assert i["aof_rewrites_consecutive_failures"] == "0"
        # whole seconds between the clock readings at start and end, as
        # Redis counts them: 1 when a short rewrite crosses a second
        assert 0 <= int(i["aof_last_rewrite_time_sec"]) <= t1 - t0
        assert i["aof_current_rewrite_time_sec"] == "-1"
        base = os.path.getsize(os.path.join(workdir, DIRNAME, "appendonly.aof.2.base.rdb"))
        assert int(i["aof_base_size"]) == int(i["aof_current_size"]) == base
        conn.call("SET", "x", "y")
        conn.call("PING")
        assert int(info(conn)["aof_current_size"]) > base


# --- replies and scheduling, compared with real Redis ---------------------------------

def _both(scenario, args=()):
    """Run scenario(conn, server) on real Redis and on pyredis; returns
    (real's result, ours)."""
    require("redis")
    require("pyredis")
    out = []
    for kind in ("redis", "pyredis"):
        with Server(kind, list(args)) as s:
            conn = RespClient(port=s.port)
            out.append(scenario(conn, s))
    return out


def test_busy_child_replies_match_redis():
    def scenario(conn, s):
        fill(conn)
        replies = [conn.call("BGREWRITEAOF"), conn.call("BGREWRITEAOF"),
                   conn.call("BGSAVE"), conn.call("BGSAVE", "SCHEDULE"),
                   info(conn)["rdb_bgsave_in_progress"]]
        wait_no_child(conn)
        replies += [conn.call("BGSAVE"), conn.call("BGREWRITEAOF"),
                    info(conn)["aof_rewrite_scheduled"]]
        wait_no_child(conn)
        replies.append(info(conn)["aof_rewrites"])
        return replies
    real, ours = _both(scenario, AOF + SLOW)
    assert ours == real
    assert real[0] == b"+Background append only file rewriting started\r\n"
    assert real[1] == b"-ERR Background append only file rewriting already in progress\r\n"
    assert real[6] == b"+Background append only file rewriting scheduled\r\n"


def test_scheduled_rewrite_runs_when_the_bgsave_ends():
    def scenario(conn, s):
        fill(conn)
        replies = [conn.call("BGSAVE"), conn.call("BGREWRITEAOF"),
                   info(conn)["aof_rewrite_scheduled"], info(conn)["aof_pending_rewrite"]]
        wait_until(lambda: info(conn)["aof_rewrites"] == "1", what="the scheduled rewrite")
        wait_no_child(conn)
        replies += [read_manifest(s.dir), info(conn)["aof_last_bgrewrite_status"]]
        return replies
    real, ours = _both(scenario, AOF + SLOW)
    assert ours == real
    assert real[2:4] == ["1", "1"]
    assert real[4].startswith("file appendonly.aof.2.base.rdb seq 2 type b\n")


def test_bgrewriteaof_with_appendonly_off_writes_a_base_only():
    def scenario(conn, s):
        conn.call("SET", "k", "v")
        replies = [conn.call("BGREWRITEAOF")]
        wait_no_child(conn)
        replies += [read_manifest(s.dir), dir_files(s.dir), info(conn)["aof_enabled"],
                    conn.call("BGREWRITEAOF")]
        wait_no_child(conn)
        replies += [read_manifest(s.dir), dir_files(s.dir)]
        return replies
    real, ours = _both(scenario)
    assert ours == real
    assert real[1] == "file appendonly.aof.1.base.rdb seq 1 type b\n"
    assert real[5] == "file appendonly.aof.2.base.rdb seq 2 type b\n"


def test_history_is_kept_with_aof_disable_auto_gc():
    def scenario(conn, s):
        conn.call("SET", "k", "v")
        for _ in range(2):
            conn.call("BGREWRITEAOF")
            wait_no_child(conn)
            conn.call("SET", "k", "w")
        return [read_manifest(s.dir), dir_files(s.dir)]
    real, ours = _both(scenario, AOF + ["--aof-disable-auto-gc", "yes"])
    assert ours == real
    assert "type h" in real[0]


def test_automatic_rewrite_on_growth():
    def scenario(conn, s):
        # one command: the growth is seen at once, by one cron check
        conn.call("MSET", *[x for i in range(100) for x in ("k%d" % i, "x" * 100)])
        wait_until(lambda: info(conn)["aof_rewrites"] == "1", what="an automatic rewrite")
        wait_no_child(conn)
        assert s.wait_log("Starting automatic rewriting of AOF on ")
        return read_manifest(s.dir).splitlines()[0]
    real, ours = _both(scenario, AOF + ["--auto-aof-rewrite-min-size", "4096",
                                        "--auto-aof-rewrite-percentage", "100"])
    assert ours == real == "file appendonly.aof.2.base.rdb seq 2 type b"


def test_no_automatic_rewrite_below_min_size(workdir):
    require("pyredis")
    with Server("pyredis", AOF + ["--auto-aof-rewrite-min-size", "1mb"], directory=workdir) as s:
        conn = RespClient(port=s.port)
        pipeline(conn, [("SET", "k%d" % i, "x" * 100) for i in range(100)])
        time.sleep(0.5)
        assert info(conn)["aof_rewrites"] == "0"


# --- CONFIG SET appendonly / appendfsync at runtime -----------------------------------

def test_config_set_appendonly_yes_keeps_data_and_later_writes(workdir):
    require("pyredis")
    with Server("pyredis", SLOW, directory=workdir) as s:
        conn = RespClient(port=s.port)
        fill(conn)
        assert conn.call("CONFIG", "SET", "appendonly", "yes") == b"+OK\r\n"
        i = info(conn)
        assert (i["aof_enabled"], i["aof_rewrite_in_progress"]) == ("1", "1")
        assert write_while_rewriting(conn) > 0
        wait_no_child(conn)
        conn.call("SET", "after", "1")
        data = digest(conn)
        assert read_manifest(workdir) == ("file appendonly.aof.1.base.rdb seq 1 type b\n"
                                          "file appendonly.aof.1.incr.aof seq 1 type i\n")
        assert "Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr " \
               "into appendonly.aof.1.incr.aof" in s.output()
    with Server("pyredis", AOF, directory=workdir) as s:
        assert digest(RespClient(port=s.port)) == data
    if REDIS_SERVER:
        with Server("redis", AOF, directory=workdir) as s:
            assert digest(RespClient(port=s.port)) == data


def test_config_set_appendonly_no_then_yes_again(workdir):
    require("pyredis")
    with Server("pyredis", AOF, directory=workdir) as s:
        conn = RespClient(port=s.port)
        conn.call("SET", "a", "1")
        assert conn.call("CONFIG", "SET", "appendonly", "no") == b"+OK\r\n"
        assert info(conn)["aof_enabled"] == "0"
        incr = os.path.join(workdir, DIRNAME, "appendonly.aof.1.incr.aof")
        size = os.path.getsize(incr)
        conn.call("SET", "b", "2")
        assert os.path.getsize(incr) == size
        assert conn.call("CONFIG", "SET", "appendonly", "yes") == b"+OK\r\n"
        wait_no_child(conn)
        conn.call("SET", "c", "3")
        assert read_manifest(workdir) == ("file appendonly.aof.2.base.rdb seq 2 type b\n"
                                          "file appendonly.aof.2.incr.aof seq 2 type i\n")
    with Server("pyredis", AOF, directory=workdir) as s:
        conn = RespClient(port=s.port)
        assert [conn.call("GET", k) for k in "abc"] == [b"$1\r\n1\r\n", b"$1\r\n2\r\n",
                                                       b"$1\r\n3\r\n"]


def test_config_set_appendonly_while_bgsave_runs_matches_redis():
    def scenario(conn, s):
        fill(conn)
        replies = [conn.call("BGSAVE"), conn.call("CONFIG", "SET", "appendonly", "yes")]
        i = info(conn)
        replies += [i["aof_enabled"], i["aof_rewrite_scheduled"], i["aof_rewrite_in_progress"]]
        wait_until(lambda: info(conn)["aof_rewrites"] == "1", what="the scheduled rewrite")
        wait_no_child(conn)
        replies.append(read_manifest(s.dir))
        assert s.wait_log("AOF was enabled but there is already another background operation. "
                          "An AOF background was scheduled to start when possible.")
        return replies
    real, ours = _both(scenario, SLOW)
    assert ours == real
    assert real[2:5] == ["1", "1", "0"]


def test_config_set_appendonly_no_kills_a_running_rewrite(workdir):
    require("pyredis")
    with Server("pyredis", AOF + SLOW, directory=workdir) as s:
        conn = RespClient(port=s.port)
        fill(conn)
        before = read_manifest(workdir)
        conn.call("BGREWRITEAOF")
        assert conn.call("CONFIG", "SET", "appendonly", "no") == b"+OK\r\n"
        i = info(conn)
        assert (i["aof_enabled"], i["aof_rewrite_in_progress"]) == ("0", "0")
        assert "Killing running AOF rewrite child: " in s.output()
        assert temp_files(workdir) == []
        # the incr file opened for the rewrite stays listed, empty
        assert read_manifest(workdir) == before + "file appendonly.aof.2.incr.aof seq 2 type i\n"


def test_config_set_appendfsync_always_at_runtime_keeps_acknowledged_writes(workdir):
    require("pyredis")
    s = Server("pyredis", AOF + ["--appendfsync", "no"], directory=workdir).start()
    try:
        conn = RespClient(port=s.port)
        assert conn.call("CONFIG", "SET", "appendfsync", "always") == b"+OK\r\n"
        assert conn.call("CONFIG", "GET", "appendfsync") == \
            b"*2\r\n$11\r\nappendfsync\r\n$6\r\nalways\r\n"
        for i in range(50):
            assert conn.call("SET", "k%d" % i, "v") == b"+OK\r\n"
        os.kill(s.pid, signal.SIGKILL)
        s.proc.wait()
    finally:
        s.stop()
    with Server("pyredis", AOF, directory=workdir) as s2:
        assert RespClient(port=s2.port).call("DBSIZE") == b":50\r\n"


# --- a rewrite that does not finish -------------------------------------------------

def test_killed_child_leaves_the_old_manifest_and_a_loadable_directory(workdir):
    require("pyredis")
    with Server("pyredis", AOF + SLOW, directory=workdir) as s:
        conn = RespClient(port=s.port)
        fill(conn)
        conn.call("BGREWRITEAOF")
        wait_until(lambda: child_pids(s.pid), what="the rewrite child")
        for pid in child_pids(s.pid):
            os.kill(pid, signal.SIGKILL)
        wait_no_child(conn)
        conn.call("SET", "after", "1")
        data = digest(conn)
        i = info(conn)
        assert (i["aof_last_bgrewrite_status"], i["aof_rewrites_consecutive_failures"]) == \
            ("err", "1")
        assert "Background AOF rewrite terminated by signal 9" in s.output()
        assert read_manifest(workdir) == ("file appendonly.aof.1.base.rdb seq 1 type b\n"
                                          "file appendonly.aof.1.incr.aof seq 1 type i\n"
                                          "file appendonly.aof.2.incr.aof seq 2 type i\n")
        assert temp_files(workdir) == []
    with Server("pyredis", AOF, directory=workdir) as s:
        assert digest(RespClient(port=s.port)) == data


def test_child_ended_by_sigusr1_is_not_a_failure(workdir):
    require("pyredis")
    with Server("pyredis", AOF + SLOW, directory=workdir) as s:
        conn = RespClient(port=s.port)
        fill(conn)
        conn.call("BGREWRITEAOF")
        wait_until(lambda: child_pids(s.pid), what="the rewrite child")
        for pid in child_pids(s.pid):
            os.kill(pid, signal.SIGUSR1)
        wait_no_child(conn)
        i = info(conn)
        assert (i["aof_last_bgrewrite_status"], i["aof_rewrites_consecutive_failures"]) == \
            ("ok", "0")
        assert temp_files(workdir) == []


def test_shutdown_during_a_rewrite_kills_it_and_the_directory_loads(workdir):
    require("pyredis")
    with Server("pyredis", AOF + SLOW, directory=workdir) as s:
        conn = RespClient(port=s.port)
        fill(conn)
        data = digest(conn)
        conn.call("BGREWRITEAOF")
        conn.send("SHUTDOWN")
        assert s.wait() == 0
        assert "There is a child rewriting the AOF. Killing it!" in s.output()
        assert "Killing running AOF rewrite child: " in s.output()
    assert temp_files(workdir) == []
    with Server("pyredis", AOF, directory=workdir) as s:
        assert digest(RespClient(port=s.port)) == data


def test_shutdown_refused_while_the_first_base_is_written():
    def scenario(conn, s):
        fill(conn)
        conn.call("CONFIG", "SET", "appendonly", "yes")
        reply = conn.call("SHUTDOWN")
        assert s.wait_log("Writing initial AOF, can't exit.")
        wait_no_child(conn)
        return reply
    real, ours = _both(scenario, SLOW)
    assert ours == real == b"-ERR Errors trying to SHUTDOWN. Check logs.\r\n"


def test_failed_first_base_is_retried_and_nothing_is_lost(workdir):
    require("pyredis")
    with Server("pyredis", SLOW, directory=workdir) as s:
        conn = RespClient(port=s.port)
        fill(conn)
        conn.call("CONFIG", "SET", "appendonly", "yes")
        wait_until(lambda: child_pids(s.pid), what="the rewrite child")
        conn.call("SET", "fed-to-temp-incr", "1")
        for pid in child_pids(s.pid):
            os.kill(pid, signal.SIGKILL)
        assert s.wait_log("Removing the temp incr aof file temp-appendonly.aof.incr")
        write_while_rewriting(conn)
        wait_until(lambda: info(conn)["aof_last_bgrewrite_status"] == "ok" and
                   info(conn)["aof_rewrites"] == "2", what="the retried rewrite")
        wait_no_child(conn)
        conn.call("SET", "after", "1")
        data = digest(conn)
        assert read_manifest(workdir) == ("file appendonly.aof.1.base.rdb seq 1 type b\n"
                                          "file appendonly.aof.1.incr.aof seq 1 type i\n")
    with Server("pyredis", AOF, directory=workdir) as s:
        assert digest(RespClient(port=s.port)) == data


def test_flushall_does_not_cancel_a_rewrite_as_in_redis():
    def scenario(conn, s):
        fill(conn)
        conn.call("BGREWRITEAOF")
        replies = [conn.call("FLUSHALL"), info(conn)["aof_rewrite_in_progress"]]
        wait_no_child(conn)
        replies += [info(conn)["aof_last_bgrewrite_status"], read_manifest(s.dir)]
        return replies
    real, ours = _both(scenario, AOF + SLOW)
    assert ours == real
    assert real[1] == "1"


def test_history_listed_in_the_manifest_is_removed_at_start():
    def scenario(conn, s):
        return [read_manifest(s.dir), dir_files(s.dir)]
    out = []
    for kind in ("redis", "pyredis"):
        require(kind)
        d = tempfile.mkdtemp(prefix="pyredis-aofrw-")
        try:
            os.mkdir(os.path.join(d, DIRNAME))
            for name in ("appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof",
                         "appendonly.aof.2.incr.aof"):
                open(os.path.join(d, DIRNAME, name), "wb").close()
            with open(os.path.join(d, DIRNAME, MANIFEST), "w") as f:
                f.write("file appendonly.aof.1.base.rdb seq 1 type h\n"
                        "file appendonly.aof.1.incr.aof seq 1 type h\n"
                        "file appendonly.aof.2.incr.aof seq 2 type i\n")
            with Server(kind, AOF, directory=d) as s:
                out.append(scenario(RespClient(port=s.port), s))
        finally:
            shutil.rmtree(d)
    assert out[1] == out[0]
    assert out[0][0] == "file appendonly.aof.2.incr.aof seq 2 type i\n"
