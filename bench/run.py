#!/usr/bin/env python3
"""Side-by-side benchmark of pyredis against the real redis-server.

Starts one redis-server and one pyredis server on free loopback ports, runs
redis-benchmark against them alternately (pyredis, redis, pyredis, redis, ...),
measures server CPU time per request from /proc/<pid>/stat, measures memory per
key after loading 1,000,000 string keys and memory per element for lists,
hashes, sets and sorted sets (many small ones and one large one of each), and
writes results.md / results.png.

Usage: python bench/run.py [--quick] [--tests set,get,...] [--requests N]
                           [--rounds R] [--keys K] [--no-string-memory]
                           [--no-collections] [--memory-cases "a,b"]
                           [--clients C] [--out DIR]
See bench/README.md.
"""

import argparse
import csv
import datetime
import io
import os
import platform
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEFAULT_TESTS = ["ping_inline", "ping_mbulk", "set", "get", "incr", "mset",
                 "lpush", "rpush", "lpop", "rpop", "sadd", "hset", "spop",
                 "zadd", "zpopmin",
                 "lrange_100", "lrange_300", "lrange_500", "lrange_600",
                 "zrangebyscore_1m", "zrank_1m"]

# redis-benchmark -t lrange_N first runs "LPUSH (needed to benchmark LRANGE)"
# with the same -n, which would be counted in the server CPU time. Instead the
# script fills `mylist` itself (600 elements "xxx", what that LPUSH pushes) and
# runs redis-benchmark with the equivalent custom command. LRANGE tests are
# much slower per request, so they use -n divided by LRANGE_N_DIVISOR.
LRANGE_TESTS = {"lrange": 100, "lrange_100": 100, "lrange_300": 300,
                "lrange_500": 500, "lrange_600": 600}
LRANGE_N_DIVISOR = 10
LRANGE_LIST_LEN = 600

# redis-benchmark -t zpopmin pops from `myzset`, which its zadd test fills with
# `ZADD myzset 0 element:__rand_int__`: without -r that is always the same
# member, so all but the first ZPOPMIN would pop from an empty key. Before each
# zpopmin run the script therefore loads exactly -n members into `myzset`, so
# that every ZPOPMIN pops one element.
ZPOPMIN_TESTS = ("zpopmin",)

# Custom-command tests on one sorted set of ZSET_1M_SIZE members, loaded once
# per server (outside the measured run) as `ZADD bigzset <i> member:<i, 12
# digits>`: redis-benchmark -r expands __rand_int__ to 12 zero-padded digits,
# so `member:__rand_int__` names an existing member. Scores are the integers
# 0..N-1, so `ZRANGEBYSCORE bigzset a +inf LIMIT 0 11` returns the 11 members
# with scores a..a+10, the same as `ZRANGEBYSCORE bigzset a a+10` (each
# __rand_int__ gets its own random value, so a+10 cannot be written directly).
ZSET_1M_KEY = "bigzset"
ZSET_1M_SIZE = 1000000
ZSET_1M_TESTS = {
    "zrangebyscore_1m": (["ZRANGEBYSCORE", ZSET_1M_KEY, "__rand_int__", "+inf",
                          "LIMIT", "0", "11"], ZSET_1M_SIZE - 10),
    "zrank_1m": (["ZRANK", ZSET_1M_KEY, "member:__rand_int__"], ZSET_1M_SIZE),
}

# One command per redis-benchmark test, sent once before benchmarking so that a
# command the server does not implement is reported as n/a.
PROBES = {
    "ping_inline": ["PING"],
    "ping_mbulk": ["PING"],
    "set": ["SET", "bench:probe:str", "x"],
    "get": ["GET", "bench:probe:str"],
    "incr": ["INCR", "bench:probe:ctr"],
    "mset": ["MSET", "bench:probe:m1", "x", "bench:probe:m2", "y"],
    "lpush": ["LPUSH", "bench:probe:list", "x"],
    "rpush": ["RPUSH", "bench:probe:list", "x"],
    "lpop": ["LPOP", "bench:probe:list"],
    "rpop": ["RPOP", "bench:probe:list"],
    "sadd": ["SADD", "bench:probe:set", "x"],
    "hset": ["HSET", "bench:probe:hash", "f", "v"],
    "spop": ["SPOP", "bench:probe:set"],
    "zadd": ["ZADD", "bench:probe:zset", "0", "x"],
    "zpopmin": ["ZPOPMIN", "bench:probe:zset"],
    "zrangebyscore_1m": ["ZRANGEBYSCORE", "bench:probe:zset", "0", "+inf",
                         "LIMIT", "0", "11"],
    "zrank_1m": ["ZRANK", "bench:probe:zset", "x"],
    "lrange": ["LRANGE", "bench:probe:list", "0", "99"],
    "lrange_100": ["LRANGE", "bench:probe:list", "0", "99"],
    "lrange_300": ["LRANGE", "bench:probe:list", "0", "299"],
    "lrange_500": ["LRANGE", "bench:probe:list", "0", "499"],
    "lrange_600": ["LRANGE", "bench:probe:list", "0", "599"],
    "xadd": ["XADD", "bench:probe:stream", "*", "f", "v"],
}

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------
# Minimal RESP client


def _chunks(total, per):
    for start in range(0, total, per):
        yield start, min(start + per, total)


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class RespError(Exception):
    pass


class Client:
    def __init__(self, port, timeout=30.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        self.sock.close()

    def _fill(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise ConnectionError("server closed the connection")
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2:]
                return line
            self._fill()

    def read_reply(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RespError(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if t in (b"*", b"~", b">"):
            n = int(rest)
            if n < 0:
                return None
            return [self.read_reply() for _ in range(n)]
        if t == b"%":
            n = int(rest)
            return [self.read_reply() for _ in range(2 * n)]
        if t == b"_":
            return None
        if t in (b",", b"(", b"#"):
            return rest.decode()
        raise ValueError("unexpected reply line %r" % line)

    def call(self, *args):
        self.sock.sendall(encode(args))
        return self.read_reply()


# --------------------------------------------------------------------------
# Servers


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, name, argv_prefix, cwd=None):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="bench-%s-" % name)
        self.port = free_port()
        self.log_path = os.path.join(self.dir, "server.log")
        self.argv = argv_prefix + [
            "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", self.dir,
        ]
        self.cwd = cwd
        self.proc = None
        self.log = None

    def start(self):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.argv, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=self.cwd)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited at start-up (rc=%s); log:\n%s"
                                   % (self.name, self.proc.returncode, self.log_tail()))
            try:
                c = Client(self.port, timeout=2)
                r = c.call("PING")
                c.close()
                if r == "PONG":
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("%s did not answer PING in 20s; log:\n%s"
                           % (self.name, self.log_tail()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n=30):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode(errors="replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return "(no log)"

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            data = f.read()
        # Fields after the parenthesised comm; utime/stime are fields 14 and 15.
        fields = data[data.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_bytes(self):
        with open("/proc/%d/statm" % self.proc.pid) as f:
            return int(f.read().split()[1]) * PAGE_SIZE

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------
# Benchmark runs


def probe(server, test):
    cmd = PROBES.get(test)
    if cmd is None:
        return None
    try:
        c = Client(server.port, timeout=10)
        r = c.call(*cmd)
        c.close()
    except OSError as e:
        return "connection error: %s" % e
    if isinstance(r, RespError):
        return str(r)
    return None


def prepare_lrange(server):
    """DEL mylist, then RPUSH LRANGE_LIST_LEN elements "xxx" (as redis-benchmark
    -t lrange_* would LPUSH before the LRANGE run)."""
    c = Client(server.port, timeout=30)
    c.call("DEL", "mylist")
    r = c.call("RPUSH", "mylist", *(["xxx"] * LRANGE_LIST_LEN))
    c.close()
    if isinstance(r, RespError):
        return "RPUSH mylist failed: %s" % r
    return None


def _zadd_batches(key, n, member_fmt, per=100):
    """ZADD key i member(i) for i in 0..n-1, `per` members per command."""
    for a, b in _chunks(n, per):
        args = [b"ZADD", key]
        for i in range(a, b):
            args += [b"%d" % i, member_fmt % i]
        yield encode(args)


def prepare_zpopmin(server, n):
    """DEL myzset, then ZADD exactly n members, so each ZPOPMIN of the run pops one."""
    c = Client(server.port, timeout=60)
    c.call("DEL", "myzset")
    c.close()
    nerr, first_err = pipeline_commands(server, _zadd_batches(b"myzset", n, b"element:%012d"))
    if nerr:
        return "ZADD myzset failed: %s" % first_err
    return None


def prepare_zset_1m(server):
    """Load bigzset (ZSET_1M_SIZE members) unless it is already there; returns
    an error string or None."""
    c = Client(server.port, timeout=60)
    r = c.call("ZCARD", ZSET_1M_KEY)
    if r == ZSET_1M_SIZE:
        c.close()
        return None
    c.call("DEL", ZSET_1M_KEY)
    c.close()
    t0 = time.perf_counter()
    nerr, first_err = pipeline_commands(
        server, _zadd_batches(ZSET_1M_KEY.encode(), ZSET_1M_SIZE, b"member:%012d"))
    if nerr:
        return "ZADD %s failed: %s" % (ZSET_1M_KEY, first_err)
    c = Client(server.port, timeout=60)
    r = c.call("ZCARD", ZSET_1M_KEY)
    c.close()
    if r != ZSET_1M_SIZE:
        return "ZCARD %s = %r after loading %d members" % (ZSET_1M_KEY, r, ZSET_1M_SIZE)
    print("  loaded %s (%d members) into %s in %.1fs"
          % (ZSET_1M_KEY, ZSET_1M_SIZE, server.name, time.perf_counter() - t0), flush=True)
    return None


def run_benchmark(server, test, pipeline, requests, clients):
    argv = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port),
            "-c", str(clients), "-n", str(requests), "-P", str(pipeline),
            "--csv", "-q"]
    if test in LRANGE_TESTS:
        err = prepare_lrange(server)
        if err:
            return {"error": err}
        argv += ["LRANGE", "mylist", "0", str(LRANGE_TESTS[test] - 1)]
    elif test in ZSET_1M_TESTS:
        err = prepare_zset_1m(server)
        if err:
            return {"error": err}
        cmd, keyspace = ZSET_1M_TESTS[test]
        argv += ["-r", str(keyspace)] + cmd
    elif test in ZPOPMIN_TESTS:
        err = prepare_zpopmin(server, requests)
        if err:
            return {"error": err}
        argv += ["-t", test]
    else:
        argv += ["-t", test]
    return measure(server, argv, requests, "%s -P %d" % (test, pipeline))


def run_command_benchmark(server, command, pipeline, requests, clients, extra=()):
    """redis-benchmark of one custom command (a list of arguments)."""
    argv = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port),
            "-c", str(clients), "-n", str(requests), "-P", str(pipeline),
            "--csv", "-q"] + list(extra) + list(command)
    return measure(server, argv, requests, "%s -P %d" % (command[0], pipeline))


def command_rounds(tests, rounds, pipeline, requests, clients, prefill=None, before=None):
    """Start both servers; prefill(server) once; then, per round, per test
    (name, command, extra redis-benchmark args), per server alternately:
    before(server, command) and redis-benchmark of the command.  Returns
    {(test name, server name): [req/s of each round]}; exits on an error."""
    servers = make_servers()
    results = {(t[0], name): [] for t in tests for name in servers}
    try:
        for srv in servers.values():
            srv.start()
        if prefill is not None:
            for srv in servers.values():
                prefill(srv)
        for rnd in range(rounds):
            for test, cmd, extra in tests:
                for name, srv in servers.items():
                    if before is not None:
                        before(srv, cmd)
                    r = run_command_benchmark(srv, cmd, pipeline, requests, clients, extra)
                    if "error" in r:
                        sys.exit("%s on %s: %s" % (test, name, r["error"]))
                    results[(test, name)].append(r["rps"])
                    print("round %d %-20s %-8s %10.0f req/s" % (rnd + 1, test, name, r["rps"]),
                          flush=True)
    finally:
        for srv in servers.values():
            srv.stop()
            srv.cleanup()
    return results


def ratio_table(tests, results):
    """Markdown rows of command_rounds' medians, the ratio and how far the
    per-round ratios scatter."""
    lines = ["| command | pyredis req/s | redis req/s | pyredis / redis | per-round ratios |",
             "|---|---|---|---|---|"]
    for test, _, _ in tests:
        ours = statistics.median(results[(test, "pyredis")])
        real = statistics.median(results[(test, "redis")])
        rounds = [a / b for a, b in zip(results[(test, "pyredis")], results[(test, "redis")])]
        lines.append("| %s | %.0f | %.0f | **%.2fx** | %.2f-%.2f |"
                     % (test, ours, real, ours / real, min(rounds), max(rounds)))
    return lines


def measure(server, argv, requests, what):
    """Run redis-benchmark argv: its req/s and the server's CPU per request."""
    cpu0 = server.cpu_seconds()
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - t0
    if not server.alive():
        return {"error": "%s died during %s (rc=%s); log tail:\n%s"
                % (server.name, what, server.proc.returncode, server.log_tail())}
    cpu1 = server.cpu_seconds()
    out = p.stdout + p.stderr
    errs = [l for l in out.splitlines() if "Error" in l or "error" in l]
    rps = None
    for row in csv.reader(io.StringIO(p.stdout)):
        if len(row) >= 2 and row[0] != "test":
            try:
                rps = float(row[1])
            except ValueError:
                pass
    if p.returncode != 0 or errs or rps is None:
        return {"error": "redis-benchmark rc=%d: %s" % (
            p.returncode, (errs[0] if errs else out.strip()[-300:]))}
    return {"rps": rps, "cpu_us": (cpu1 - cpu0) / requests * 1e6, "wall": wall}


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


# --------------------------------------------------------------------------
# Memory


def info_field(client, section, field):
    r = client.call("INFO", section)
    if isinstance(r, RespError) or r is None:
        return None
    for line in r.decode().splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1]
    return None


def used_memory(client):
    v = info_field(client, "memory", "used_memory")
    return int(v) if v is not None else None


def dbsize(client, notes, name):
    r = client.call("DBSIZE")
    if not isinstance(r, RespError):
        return r, "DBSIZE"
    notes.append("%s: DBSIZE failed (`%s`)" % (name, r))
    v = info_field(client, "keyspace", "db0")
    if v:
        for kv in v.split(","):
            k, _, n = kv.partition("=")
            if k == "keys":
                return int(n), "INFO keyspace"
    return None, None


def fill(server, nkeys, batch=2000):
    """SET key:<012d> <16 bytes> for nkeys keys, pipelined; returns #errors."""
    c = Client(server.port, timeout=120)
    value = b"x" * 16
    errors = []
    first_err = None
    for start in range(0, nkeys, batch):
        end = min(start + batch, nkeys)
        payload = b"".join(
            b"*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\n%s\r\n" % (i, value)
            for i in range(start, end))
        c.sock.sendall(payload)
        for _ in range(end - start):
            r = c.read_reply()
            if isinstance(r, RespError):
                errors.append(r)
                if first_err is None:
                    first_err = str(r)
    c.close()
    return len(errors), first_err


def measure_memory(server, nkeys, notes):
    c = Client(server.port, timeout=60)
    r = c.call("FLUSHALL")
    if isinstance(r, RespError):
        notes.append("%s: FLUSHALL failed (`%s`); the baseline still holds the few "
                     "keys left by the throughput runs" % (server.name, r))
    time.sleep(0.5)
    rss0, um0 = server.rss_bytes(), used_memory(c)
    db0, _ = dbsize(c, [], server.name)
    c.close()
    t0 = time.perf_counter()
    nerr, first_err = fill(server, nkeys)
    fill_s = time.perf_counter() - t0
    if not server.alive():
        raise RuntimeError("%s died while loading keys; log:\n%s"
                           % (server.name, server.log_tail()))
    if nerr:
        notes.append("%s: %d of %d SETs failed, first: `%s`"
                     % (server.name, nerr, nkeys, first_err))
    time.sleep(0.5)
    c = Client(server.port, timeout=60)
    rss1, um1 = server.rss_bytes(), used_memory(c)
    keys, how = dbsize(c, notes, server.name)
    c.close()
    if keys is None:
        keys = nkeys - nerr
        how = "acknowledged SETs"
        notes.append("%s: key count taken from the %d acknowledged SETs"
                     % (server.name, keys))
    elif db0:
        keys -= db0  # keys that were there before the load (FLUSHALL failed)
    return {
        "keys": keys, "keys_how": how, "fill_s": fill_s,
        "rss0": rss0, "rss1": rss1, "um0": um0, "um1": um1,
        "rss_per_key": (rss1 - rss0) / keys if keys else None,
        "um_per_key": (um1 - um0) / keys if keys and um0 is not None and um1 is not None else None,
    }


# --------------------------------------------------------------------------
# Memory per element for collections


def pipeline_commands(server, commands, batch=500):
    """Send the already RESP-encoded commands over one raw socket, `batch` at a
    time, read all replies; returns (#errors, first error)."""
    c = Client(server.port, timeout=120)
    nerr, first_err = 0, None
    buf = []

    def flush():
        nonlocal nerr, first_err
        c.sock.sendall(b"".join(buf))
        for _ in range(len(buf)):
            r = c.read_reply()
            if isinstance(r, RespError):
                nerr += 1
                if first_err is None:
                    first_err = str(r)
        buf.clear()

    for cmd in commands:
        buf.append(cmd)
        if len(buf) >= batch:
            flush()
    if buf:
        flush()
    c.close()
    return nerr, first_err


def _small_list(i):
    return encode([b"RPUSH", b"list:%d" % i] + [b"value:%04d" % j for j in range(10)])


def _small_hash(i):
    args = [b"HSET", b"hash:%d" % i]
    for j in range(10):
        args += [b"f%d" % j, b"v%d" % j]
    return encode(args)


def _small_intset(i):
    return encode([b"SADD", b"iset:%d" % i] + [b"%d" % (i * 10 + j) for j in range(10)])


def _small_strset(i):
    return encode([b"SADD", b"sset:%d" % i] + [b"mem:%06d" % (i * 10 + j) for j in range(10)])


def _small_zset(i):
    args = [b"ZADD", b"zset:%d" % i]
    for j in range(10):
        args += [b"%d" % j, b"mem:%06d" % (i * 10 + j)]
    return encode(args)


def _big_list(n):
    for a, b in _chunks(n, 100):
        yield encode([b"RPUSH", b"biglist"] + [b"v:%08d" % i for i in range(a, b)])


def _big_hash(n):
    for a, b in _chunks(n, 100):
        args = [b"HSET", b"bighash"]
        for i in range(a, b):
            args += [b"field:%06d" % i, b"v%d" % (i % 1000)]
        yield encode(args)


def _big_intset(n):
    # 200,000 integers: far beyond set-max-intset-entries (512), so a hashtable.
    for a, b in _chunks(n, 100):
        yield encode([b"SADD", b"bigiset"] + [b"%d" % (1000000000 + i) for i in range(a, b)])


def _big_strset(n):
    for a, b in _chunks(n, 100):
        yield encode([b"SADD", b"bigsset"] + [b"member:%06d" % i for i in range(a, b)])


def _big_zset(n):
    # 1,000,000 members: far beyond zset-max-listpack-entries (128), so a skiplist.
    return _zadd_batches(b"bigzset", n, b"member:%07d")


# (name, description, length command, key name(i), commands(count), count, unit):
# count is the number of keys (unit "keys", 10 elements each) or of elements in
# the single key (unit "elements"); --quick scales it down.
COLLECTION_CASES = [
    ("small lists", "{n:,} lists × 10 elements, `RPUSH list:<i>` 10-byte values",
     "LLEN", lambda i: "list:%d" % i,
     lambda n: (_small_list(i) for i in range(n)), 10000, "keys"),
    ("small hashes", "{n:,} hashes × 10 fields, `HSET hash:<i> f0 v0 … f9 v9`",
     "HLEN", lambda i: "hash:%d" % i,
     lambda n: (_small_hash(i) for i in range(n)), 10000, "keys"),
    ("small int sets", "{n:,} sets × 10 integers, `SADD iset:<i>` (intset)",
     "SCARD", lambda i: "iset:%d" % i,
     lambda n: (_small_intset(i) for i in range(n)), 10000, "keys"),
    ("small string sets", "{n:,} sets × 10 strings, `SADD sset:<i> mem:<6 digits>` (hashtable)",
     "SCARD", lambda i: "sset:%d" % i,
     lambda n: (_small_strset(i) for i in range(n)), 10000, "keys"),
    ("large list", "1 list × {n:,} elements, `RPUSH biglist v:<8 digits>`",
     "LLEN", lambda i: "biglist",
     _big_list, 1000000, "elements"),
    ("large hash", "1 hash × {n:,} fields, `HSET bighash field:<6 digits> v<0-999>`",
     "HLEN", lambda i: "bighash",
     _big_hash, 200000, "elements"),
    ("large int set", "1 set × {n:,} integers ≥ 10^9 (beyond intset size: hashtable)",
     "SCARD", lambda i: "bigiset",
     _big_intset, 200000, "elements"),
    ("large string set", "1 set × {n:,} strings, `SADD bigsset member:<6 digits>`",
     "SCARD", lambda i: "bigsset",
     _big_strset, 200000, "elements"),
    ("small zsets", "{n:,} sorted sets × 10 members, `ZADD zset:<i> 0 mem:<6 digits> … 9 …` "
     "(listpack)",
     "ZCARD", lambda i: "zset:%d" % i,
     lambda n: (_small_zset(i) for i in range(n)), 10000, "keys"),
    ("large zset", "1 sorted set × {n:,} members, `ZADD bigzset <i> member:<7 digits>` "
     "(skiplist)",
     "ZCARD", lambda i: "bigzset",
     _big_zset, 1000000, "elements"),
]


def count_elements(server, lencmd, keyname, nkeys):
    """Sum of LLEN/HLEN/SCARD/ZCARD over the loaded keys (pipelined)."""
    c = Client(server.port, timeout=120)
    total, nerr = 0, 0
    for a, b in _chunks(nkeys, 1000):
        c.sock.sendall(b"".join(encode([lencmd, keyname(i)]) for i in range(a, b)))
        for _ in range(b - a):
            r = c.read_reply()
            if isinstance(r, int):
                total += r
            else:
                nerr += 1
    enc = c.call("OBJECT", "ENCODING", keyname(0))
    c.close()
    if isinstance(enc, RespError):
        enc = "n/a"
    elif isinstance(enc, bytes):
        enc = enc.decode()
    return total, nerr, enc


def measure_collection(server, case, scale, notes):
    name, desc, lencmd, keyname, gen, count, unit = case
    count = max(1, int(count * scale))
    nkeys = count if unit == "keys" else 1
    c = Client(server.port, timeout=60)
    r = c.call("FLUSHALL")
    if isinstance(r, RespError):
        notes.append("%s %s: FLUSHALL failed (`%s`)" % (server.name, name, r))
    time.sleep(0.5)
    rss0, um0 = server.rss_bytes(), used_memory(c)
    c.close()
    t0 = time.perf_counter()
    nerr, first_err = pipeline_commands(server, gen(count))
    fill_s = time.perf_counter() - t0
    if not server.alive():
        raise RuntimeError("%s died while loading %s; log:\n%s"
                           % (server.name, name, server.log_tail()))
    if nerr:
        notes.append("%s %s: %d commands failed, first: `%s`"
                     % (server.name, name, nerr, first_err))
    time.sleep(0.5)
    c = Client(server.port, timeout=60)
    rss1, um1 = server.rss_bytes(), used_memory(c)
    c.close()
    elems, cerr, enc = count_elements(server, lencmd, keyname, nkeys)
    if cerr:
        notes.append("%s %s: %d of %d %s calls failed"
                     % (server.name, name, cerr, nkeys, lencmd))
    return {
        "elements": elems, "encoding": enc, "fill_s": fill_s,
        "rss0": rss0, "rss1": rss1, "um0": um0, "um1": um1,
        "rss_per_el": (rss1 - rss0) / elems if elems else None,
        "um_per_el": (um1 - um0) / elems if elems and um0 is not None and um1 is not None else None,
    }


# --------------------------------------------------------------------------
# Report


def machine_info():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        rv = subprocess.run(["redis-server", "--version"], capture_output=True,
                            text=True).stdout.strip()
    except OSError:
        rv = "unknown"
    try:
        commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain",
                                "--untracked-files=no", "--", "pyredis", "csrc", "setup.py"],
                               capture_output=True, text=True).stdout.strip()
        if dirty:
            commit += " (uncommitted changes in pyredis/, csrc/ or setup.py)"
    except OSError:
        commit = "unknown"
    return {
        "cpu": cpu, "cores": os.cpu_count(),
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "redis": rv, "commit": commit, "python": platform.python_version(),
        "kernel": platform.release(),
    }


def build_markdown(info, params, rows, mem, coll, notes):
    L = []
    L.append("# pyredis vs redis-server benchmark")
    L.append("")
    L.append("Generated by `python bench/run.py%s`. See `bench/README.md` for the "
             "meaning of each column." % params["cmdline"])
    L.append("")
    L.append("| | |")
    L.append("|---|---|")
    L.append("| CPU | %s |" % info["cpu"])
    L.append("| Cores | %s (benchmark client and servers share them) |" % info["cores"])
    L.append("| Date | %s |" % info["date"])
    L.append("| redis-server | %s |" % info["redis"])
    L.append("| pyredis commit | %s |" % info["commit"])
    L.append("| Python / kernel | %s / %s |" % (info["python"], info["kernel"]))
    L.append("| redis-benchmark | `-c %d`, `-n %d` for -P 1, `-n %d` for -P 16, "
             "median of %d alternating rounds |"
             % (params["clients"], params["n1"], params["n16"], params["rounds"]))
    L.append("")
    L.append("## Throughput and server CPU per request")
    L.append("")
    L.append("| test | -P | -n | pyredis req/s | redis req/s | ratio | "
             "pyredis CPU µs/req | redis CPU µs/req | CPU ratio |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        L.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            r["test"], r["pipeline"], format(r["n"], ","),
            fmt(r["py_rps"], ",.0f"), fmt(r["rd_rps"], ",.0f"),
            fmt(r["rps_ratio"], ".2f"), fmt(r["py_cpu"], ".2f"), fmt(r["rd_cpu"], ".2f"),
            fmt(r["cpu_ratio"], ".2f")))
    L.append("")
    L.append("ratio = pyredis/redis throughput (higher is better); "
             "CPU ratio = pyredis/redis CPU time per request (lower is better).")
    if any(r["test"] in LRANGE_TESTS for r in rows):
        L.append("`lrange_N` rows run `LRANGE mylist 0 N-1` on a %d-element list of "
                 "3-byte values with -n divided by %d (see bench/README.md)."
                 % (LRANGE_LIST_LEN, LRANGE_N_DIVISOR))
    if any(r["test"] in ZPOPMIN_TESTS for r in rows):
        L.append("`zpopmin` runs on `myzset` preloaded with -n members, so every "
                 "ZPOPMIN pops one.")
    if any(r["test"] in ZSET_1M_TESTS for r in rows):
        L.append("`zrangebyscore_1m` = `%s`, `zrank_1m` = `%s`, with `-r`, on a "
                 "%s-member sorted set loaded beforehand (see bench/README.md)."
                 % (" ".join(ZSET_1M_TESTS["zrangebyscore_1m"][0]),
                    " ".join(ZSET_1M_TESTS["zrank_1m"][0]), format(ZSET_1M_SIZE, ",")))
    L.append("")
    if mem:
        L.append("## Memory: %s keys `SET key:<12 digits> <16 bytes>`" % format(params["nkeys"], ","))
        L.append("")
        L.append("| | pyredis | redis | ratio |")
        L.append("|---|---:|---:|---:|")
        p, r = mem.get("pyredis"), mem.get("redis")

        def row(label, key, spec):
            pv = p.get(key) if p else None
            rv = r.get(key) if r else None
            L.append("| %s | %s | %s | %s |" % (label, fmt(pv, spec), fmt(rv, spec),
                                                fmt(ratio(pv, rv), ".2f")))
        row("keys counted", "keys", ",d")
        row("RSS bytes/key", "rss_per_key", ",.1f")
        row("used_memory bytes/key", "um_per_key", ",.1f")
        row("RSS before (bytes)", "rss0", ",d")
        row("RSS after (bytes)", "rss1", ",d")
        row("used_memory before", "um0", ",d")
        row("used_memory after", "um1", ",d")
        row("load time (s)", "fill_s", ".2f")
        L.append("")
        L.append("Key count source: pyredis: %s; redis: %s." % (
            p["keys_how"] if p else "n/a", r["keys_how"] if r else "n/a"))
        L.append("")
    if coll:
        L.append("## Memory per element: lists, hashes, sets, sorted sets")
        L.append("")
        L.append("Each case on freshly started servers: `FLUSHALL`, RSS and `used_memory`, "
                 "load, RSS and `used_memory` again; delta ÷ elements (sum of "
                 "LLEN/HLEN/SCARD/ZCARD). Small cases include the per-key overhead.")
        L.append("")
        L.append("| case | elements | encoding pyredis / redis | "
                 "pyredis used_memory B/el | redis used_memory B/el | ratio | "
                 "pyredis RSS B/el | redis RSS B/el | RSS ratio | "
                 "used_memory Δ MB pyredis / redis | RSS Δ MB pyredis / redis |")
        L.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in coll:
            p, r = c.get("pyredis"), c.get("redis")

            def g(m, k):
                return m.get(k) if m else None
            el = g(p, "elements") if p else g(r, "elements")
            if p and r and p["elements"] != r["elements"]:
                el = "%s / %s" % (format(p["elements"], ","), format(r["elements"], ","))
            else:
                el = fmt(el, ",d")
            def mb(m, a, b):
                if not m or m.get(a) is None or m.get(b) is None:
                    return "n/a"
                return "%.1f" % ((m[b] - m[a]) / 1e6)
            L.append("| %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |" % (
                c["name"], el, g(p, "encoding") or "n/a", g(r, "encoding") or "n/a",
                fmt(g(p, "um_per_el"), ",.1f"), fmt(g(r, "um_per_el"), ",.1f"),
                fmt(ratio(g(p, "um_per_el"), g(r, "um_per_el")), ".2f"),
                fmt(g(p, "rss_per_el"), ",.1f"), fmt(g(r, "rss_per_el"), ",.1f"),
                fmt(ratio(g(p, "rss_per_el"), g(r, "rss_per_el")), ".2f"),
                mb(p, "um0", "um1"), mb(r, "um0", "um1"),
                mb(p, "rss0", "rss1"), mb(r, "rss0", "rss1")))
        L.append("")
        L.append("ratio = pyredis ÷ redis bytes per element (lower is better). Cases:")
        L.append("")
        for c in coll:
            L.append("- %s: %s" % (c["name"], c["desc"]))
        L.append("")
    if notes:
        L.append("## Notes")
        L.append("")
        for n in notes:
            L.append("- " + n.replace("\n", "\n  "))
        L.append("")
    return "\n".join(L)


def plot(path, rows, mem, coll=None):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tests = []
    for r in rows:
        if r["test"] not in tests:
            tests.append(r["test"])
    by = {(r["test"], r["pipeline"]): r for r in rows}
    fig = plt.figure(figsize=(15, 9.6))
    gs = fig.add_gridspec(2, 2, width_ratios=[1, 3.2])
    ax = fig.add_subplot(gs[0, :])
    axm = fig.add_subplot(gs[1, 0])
    axc = fig.add_subplot(gs[1, 1])
    width = 0.38
    xs = range(len(tests))
    for k, (pl, color) in enumerate([(1, "#4c72b0"), (16, "#dd8452")]):
        vals = []
        for t in tests:
            r = by.get((t, pl))
            vals.append(r["rps_ratio"] if r and r["rps_ratio"] is not None else 0)
        pos = [x + (k - 0.5) * width for x in xs]
        bars = ax.bar(pos, vals, width, label="-P %d" % pl, color=color)
        for b, t in zip(bars, tests):
            r = by.get((t, pl))
            txt = "n/a" if not r or r["rps_ratio"] is None else "%.2f" % r["rps_ratio"]
            ax.annotate(txt, (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=8)
    ax.axhline(1.0, color="black", linestyle="--", linewidth=1)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([t.upper() for t in tests], rotation=30, ha="right")
    ax.set_ylabel("throughput pyredis / redis")
    ax.set_title("Throughput ratio (redis-benchmark -c 50; 1.0 = parity)")
    top = max([r["rps_ratio"] or 0 for r in rows] + [1.0])
    ax.set_ylim(0, top * 1.25)
    ax.legend(loc="upper center", ncol=2)

    labels = ["RSS", "used_memory"]
    keys = ["rss_per_key", "um_per_key"]
    for k, (name, color) in enumerate([("pyredis", "#55a868"), ("redis", "#c44e52")]):
        m = mem.get(name) if mem else None
        vals = [(m.get(key) or 0) if m else 0 for key in keys]
        pos = [x + (k - 0.5) * width for x in range(len(labels))]
        bars = axm.bar(pos, vals, width, label=name, color=color)
        for b, v in zip(bars, vals):
            axm.annotate("%.0f" % v, (b.get_x() + b.get_width() / 2, b.get_height()),
                         ha="center", va="bottom", fontsize=8)
    axm.set_xticks(range(len(labels)))
    axm.set_xticklabels(labels)
    axm.set_ylabel("bytes per key")
    axm.set_title("Memory per key (16-byte values)")
    mtop = max([(m.get(k) or 0) for m in (mem or {}).values() for k in keys] + [1])
    axm.set_ylim(0, mtop * 1.3)
    axm.legend(loc="upper center", ncol=2, fontsize=8)

    if coll:
        names = [c["name"] for c in coll]
        w = 0.2
        series = [("pyredis", "um_per_el", "#55a868", None, "pyredis used_memory"),
                  ("redis", "um_per_el", "#c44e52", None, "redis used_memory"),
                  ("pyredis", "rss_per_el", "#a9d4b4", "//", "pyredis RSS"),
                  ("redis", "rss_per_el", "#e6a6a8", "//", "redis RSS")]
        for k, (srv, key, color, hatch, label) in enumerate(series):
            vals = [((c.get(srv) or {}).get(key) or 0) for c in coll]
            pos = [x + (k - 1.5) * w for x in range(len(names))]
            bars = axc.bar(pos, vals, w, label=label, color=color, hatch=hatch,
                           edgecolor="white" if hatch else None)
            for bar, v in zip(bars, vals):
                axc.annotate("%.0f" % v, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                             ha="center", va="bottom", fontsize=6.5)
        ctop = max([((c.get(srv) or {}).get(key) or 0) for c in coll
                    for srv in ("pyredis", "redis") for key in ("um_per_el", "rss_per_el")]
                   + [1])
        for x, c in enumerate(coll):
            rt = ratio((c.get("pyredis") or {}).get("um_per_el"),
                       (c.get("redis") or {}).get("um_per_el"))
            axc.annotate("×%s" % fmt(rt, ".2f"), (x, ctop * 1.12), ha="center",
                         fontsize=8, fontweight="bold",
                         color="#b22222" if rt is not None and rt > 1 else "black")
        axc.set_xticks(range(len(names)))
        axc.set_xticklabels(names, rotation=15)
        axc.set_ylabel("bytes per element")
        axc.set_ylim(0, ctop * 1.35)
        axc.set_title("Memory per element, lists / hashes / sets / sorted sets "
                      "(×: pyredis/redis used_memory)")
        axc.legend(loc="upper left", ncol=4, fontsize=7)
    else:
        axc.set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def make_servers():
    return {
        "pyredis": Server("pyredis", [sys.executable, "-m", "pyredis"], cwd=REPO),
        "redis": Server("redis", ["redis-server"]),
    }


def measure_collections(scale, notes, cases=None):
    """Every case on a freshly started pair of servers, so that memory freed by
    an earlier case (still resident in the allocator) does not hide RSS growth."""
    out = []
    for case in (cases if cases is not None else COLLECTION_CASES):
        name, desc, count = case[0], case[1], max(1, int(case[5] * scale))
        res = {"name": name, "desc": desc.format(n=count)}
        for sname, s in make_servers().items():
            try:
                s.start()
                print("memory: %s into %s (pid %d) ..." % (name, sname, s.proc.pid),
                      flush=True)
                m = measure_collection(s, case, scale, notes)
                res[sname] = m
                print("  %-7s %-18s %9d elements  %7.1f B/el used_memory  %7.1f B/el RSS"
                      "  encoding %s  (%.1fs)"
                      % (sname, name, m["elements"], m["um_per_el"] or 0,
                         m["rss_per_el"] or 0, m["encoding"], m["fill_s"]), flush=True)
            except (RuntimeError, OSError) as e:
                notes.append("%s %s memory test failed: %s" % (sname, name, e))
            finally:
                if s.proc is not None and s.proc.poll() is not None \
                        and s.proc.returncode != 0:
                    notes.append("%s exited with rc=%s during %s; log tail:\n%s"
                                 % (sname, s.proc.returncode, name, s.log_tail()))
                s.stop()
                s.cleanup()
        out.append(res)
    return out


# --------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="short run (smaller -n, 1 round, 200k keys, collections 1/5 size)")
    ap.add_argument("--tests", default=None,
                    help="comma-separated redis-benchmark -t names (default: %s)"
                    % ",".join(DEFAULT_TESTS))
    ap.add_argument("--requests", type=int, default=None,
                    help="-n for -P 1 runs (-P 16 runs use 10x this)")
    ap.add_argument("--rounds", type=int, default=None, help="alternating rounds per setting")
    ap.add_argument("--keys", type=int, default=None, help="keys for the memory test")
    ap.add_argument("--no-string-memory", action="store_true",
                    help="skip the memory-per-key test for string keys")
    ap.add_argument("--no-collections", action="store_true",
                    help="skip the memory-per-element test for collections")
    ap.add_argument("--memory-cases", default=None,
                    help="comma-separated collection memory cases to run (default: all: %s)"
                    % ",".join(c[0] for c in COLLECTION_CASES))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--out", default=os.path.join(REPO, "bench"))
    args = ap.parse_args()

    tests = [t.strip().lower() for t in args.tests.split(",")] if args.tests else DEFAULT_TESTS
    coll_cases = COLLECTION_CASES
    if args.memory_cases:
        by_name = {c[0]: c for c in COLLECTION_CASES}
        wanted = [w.strip().lower() for w in args.memory_cases.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in by_name]
        if unknown:
            sys.exit("unknown --memory-cases %s; known: %s"
                     % (", ".join(unknown), ", ".join(by_name)))
        coll_cases = [by_name[w] for w in wanted]
    n1 = args.requests or (20000 if args.quick else 200000)
    n16 = n1 * 10
    rounds = args.rounds or (1 if args.quick else 3)
    nkeys = args.keys or (200000 if args.quick else 1000000)
    coll_scale = 0.2 if args.quick else 1.0
    cmdline = "".join(" " + shlex.quote(a) for a in sys.argv[1:])
    params = {"clients": args.clients, "n1": n1, "n16": n16, "rounds": rounds,
              "nkeys": nkeys, "cmdline": cmdline}

    for tool in ("redis-server", "redis-benchmark"):
        if shutil.which(tool) is None:
            sys.exit("%s not found in PATH" % tool)

    servers = make_servers()
    notes = []
    rows = []
    mem = {}
    coll = []
    info = machine_info()
    try:
        for s in servers.values():
            s.start()
            print("started %s pid %d on port %d (dir %s)"
                  % (s.name, s.proc.pid, s.port, s.dir), flush=True)

        for test in tests:
            na = {}
            for name, s in servers.items():
                err = probe(s, test)
                if err:
                    na[name] = err
                    notes.append("%s `%s`: n/a, server answered `%s`" % (name, test, err))
            for pl in (1, 16):
                n = n1 if pl == 1 else n16
                if test in LRANGE_TESTS:
                    n = max(1, n // LRANGE_N_DIVISOR)
                res = {"pyredis": [], "redis": []}
                for rnd in range(rounds):
                    for name in ("pyredis", "redis"):
                        s = servers[name]
                        if name in na or not s.alive():
                            continue
                        r = run_benchmark(s, test, pl, n, args.clients)
                        if "error" in r:
                            na[name] = r["error"]
                            notes.append("%s `%s` -P %d: %s" % (name, test, pl, r["error"]))
                            print("  %s %s -P %d: ERROR %s" % (name, test, pl, r["error"]),
                                  flush=True)
                            continue
                        res[name].append(r)
                        print("  round %d %-7s %-16s -P %-2d %12.0f req/s  %6.2f µs CPU/req"
                              "  (%.1fs)" % (rnd + 1, name, test, pl, r["rps"],
                                             r["cpu_us"], r["wall"]), flush=True)

                def med(name, key):
                    if name in na or not res[name]:
                        return None
                    return statistics.median(x[key] for x in res[name])
                row = {"test": test, "pipeline": pl, "n": n,
                       "py_rps": med("pyredis", "rps"), "rd_rps": med("redis", "rps"),
                       "py_cpu": med("pyredis", "cpu_us"), "rd_cpu": med("redis", "cpu_us")}
                row["rps_ratio"] = ratio(row["py_rps"], row["rd_rps"])
                row["cpu_ratio"] = ratio(row["py_cpu"], row["rd_cpu"])
                rows.append(row)

        for name in (() if args.no_string_memory else ("pyredis", "redis")):
            s = servers[name]
            if not s.alive():
                notes.append("%s was not running for the memory test (rc=%s)"
                             % (name, s.proc.returncode))
                continue
            print("memory: loading %d keys into %s ..." % (nkeys, name), flush=True)
            try:
                mem[name] = measure_memory(s, nkeys, notes)
            except (RuntimeError, OSError) as e:
                notes.append("%s memory test failed: %s" % (name, e))
    finally:
        for s in servers.values():
            if s.proc is not None and s.proc.poll() is not None and s.proc.returncode not in (0,):
                notes.append("%s exited with rc=%s; log tail:\n%s"
                             % (s.name, s.proc.returncode, s.log_tail()))
            s.stop()
            s.cleanup()

    if not args.no_collections:
        coll = measure_collections(coll_scale, notes, coll_cases)

    md = build_markdown(info, params, rows, mem, coll, notes)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(md)
    print()
    print(md)
    try:
        plot(os.path.join(args.out, "results.png"), rows, mem, coll)
    except ImportError:
        print("matplotlib not installed: results.png not written "
              "(pip install matplotlib)", file=sys.stderr)


if __name__ == "__main__":
    main()
