#!/usr/bin/env python3
"""Persistence benchmarks of pyredis next to the real redis-server.

1. RDB save and load time: N string keys (default 1,000,000); SAVE timed
   from the client, load timed from the server's own "DB loaded from disk"
   log line after a restart on the file.  Servers alternate per round.
2. BGSAVE under load: M keys (default 5,000,000); redis-benchmark GET at
   -P 1 gives the idle p99 latency, then the same run while BGSAVE runs
   back to back for its whole duration; the peak of (server RSS + the
   child's private dirty memory, i.e. what copy-on-write copied) during
   the saves is compared with the RSS before.
3. AOF cost: redis-benchmark SET throughput with appendonly yes /
   appendfsync everysec against appendonly no, for pyredis and, as a
   reference, for redis-server; runs alternate.

Usage: python bench/persistence.py [--keys N] [--bgsave-keys M] [--rounds R]
                                   [--only rdb|bgsave|aof] [--out DIR]
Writes results-persistence.md in --out (default bench/).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, fill, make_servers, run_benchmark, PAGE_SIZE  # noqa: E402


def rss(pid):
    with open("/proc/%d/statm" % pid) as f:
        return int(f.read().split()[1]) * PAGE_SIZE


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def private_dirty(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Private_Dirty:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def info(server, section):
    c = Client(server.port, timeout=60)
    text = c.call("INFO", section)
    c.close()
    if isinstance(text, bytes):
        text = text.decode()
    out = {}
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            out[k] = v
    return out


def wait_bgsave_done(server, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if info(server, "persistence").get("rdb_bgsave_in_progress") == "0":
            return
        time.sleep(0.02)
    raise RuntimeError("BGSAVE did not finish")


def load_seconds(server):
    m = re.findall(r"DB loaded from disk: ([0-9.]+) seconds", server.log_tail(200))
    return float(m[-1]) if m else None


# --- 1. save / load time ----------------------------------------------------

def rdb_timing(nkeys, rounds):
    results = {"pyredis": {"save": [], "load": []}, "redis": {"save": [], "load": []}}
    sizes = {}
    for rnd in range(rounds):
        for name in ("pyredis", "redis"):
            servers = make_servers()
            s = servers[name]
            s.start()
            try:
                nerr, first = fill(s, nkeys)
                if nerr:
                    raise RuntimeError("fill failed: %s" % first)
                c = Client(s.port, timeout=600)
                t0 = time.perf_counter()
                r = c.call("SAVE")
                took = time.perf_counter() - t0
                c.close()
                if r != "OK":
                    raise RuntimeError("SAVE answered %r" % (r,))
                dump = os.path.join(s.dir, "dump.rdb")
                sizes[name] = os.path.getsize(dump)
                results[name]["save"].append(took)
            finally:
                s.stop()
            s2 = make_servers()[name]
            shutil.copy(dump, os.path.join(s2.dir, "dump.rdb"))
            s.cleanup()
            s2.start()
            try:
                secs = load_seconds(s2)
                c = Client(s2.port, timeout=60)
                n = c.call("DBSIZE")
                c.close()
                if n != nkeys:
                    raise RuntimeError("%s loaded %r keys, expected %d" % (name, n, nkeys))
                results[name]["load"].append(secs)
            finally:
                s2.stop()
                s2.cleanup()
            print("  round %d %-7s save %.3fs load %.3fs (%d bytes)"
                  % (rnd + 1, name, took, secs, sizes[name]), flush=True)
    return results, sizes


# --- 2. BGSAVE under load -----------------------------------------------------

SAMPLE_SECONDS = 0.05   # how often the memory of a running child is read

def bench_get(server, nkeys, requests):
    out = subprocess.run(
        ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-c", "50",
         "-n", str(requests), "-r", str(nkeys), "--csv", "GET", "key:__rand_int__"],
        capture_output=True, text=True, check=True).stdout
    row = [x.strip('"') for x in out.strip().splitlines()[-1].split(",")]
    # "test","rps","avg","min","p50","p95","p99","max"
    return float(row[1]), float(row[6]), float(row[7])


def bgsave_under_load(name, nkeys, requests, rounds):
    """Alternate, `rounds` times, a GET run on an idle server with one that
    overlaps BGSAVEs started back to back; the p99s and the memory peak."""
    s = make_servers()[name]
    s.start()
    try:
        nerr, first = fill(s, nkeys)
        if nerr:
            raise RuntimeError("fill failed: %s" % first)
        time.sleep(1)
        rss_before = rss(s.proc.pid)
        peak = [rss_before, 0]      # total, child private dirty at that moment
        saves = [0]
        idle, busy = [], []

        def keep_saving(stop):
            c = Client(s.port, timeout=600)
            while not stop.is_set():
                c.call("BGSAVE")
                saves[0] += 1
                while not stop.is_set():
                    kids = children(s.proc.pid)
                    if not kids:
                        break
                    dirty = sum(private_dirty(k) for k in kids)
                    total = rss(s.proc.pid) + dirty
                    if total > peak[0]:
                        peak[0], peak[1] = total, dirty
                    time.sleep(SAMPLE_SECONDS)
            c.close()

        for _ in range(rounds):
            idle.append(bench_get(s, nkeys, requests))
            stop = threading.Event()
            t = threading.Thread(target=keep_saving, args=(stop,))
            t.start()
            time.sleep(0.2)
            busy.append(bench_get(s, nkeys, requests))
            stop.set()
            t.join()
            wait_bgsave_done(s)
        st = info(s, "stats")
        return {"rss_before": rss_before, "peak": peak[0], "child_dirty": peak[1],
                "idle": idle, "busy": busy, "saves": saves[0],
                "fork_usec": int(st.get("latest_fork_usec", 0))}
    finally:
        s.stop()
        s.cleanup()


# --- 3. AOF everysec cost ------------------------------------------------------

AOF_ARGS = ["--appendonly", "yes", "--appendfsync", "everysec"]


def aof_throughput(requests, rounds):
    """{(server, aof on?, pipeline): [req/s per round]}"""
    out = {}
    for rnd in range(rounds):
        for name in ("pyredis", "redis"):
            for aof in (False, True):
                s = make_servers()[name]
                if aof:
                    s.argv += AOF_ARGS
                s.start()
                try:
                    for pipeline in (1, 16):
                        n = requests * (10 if pipeline > 1 else 1)
                        res = run_benchmark(s, "set", pipeline, n, 50)
                        if "error" in res:
                            raise RuntimeError(res["error"])
                        out.setdefault((name, aof, pipeline), []).append(res["rps"])
                        print("  round %d %-7s aof=%-3s -P %-2d %10.0f req/s"
                              % (rnd + 1, name, "yes" if aof else "no", pipeline, res["rps"]),
                              flush=True)
                finally:
                    s.stop()
                    s.cleanup()
    return out


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def mb(n):
    return "%.1f" % (n / 1048576.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--bgsave-keys", type=int, default=5_000_000)
    ap.add_argument("--requests", type=int, default=300_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only", choices=("rdb", "bgsave", "aof"))
    ap.add_argument("--server", choices=("pyredis", "redis"),
                    help="BGSAVE part: measure only this server")
    ap.add_argument("--aof-requests", type=int, default=200_000)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    lines = ["# Persistence benchmarks", "",
             "Generated by `python bench/persistence.py %s`."
             % " ".join(sys.argv[1:]), ""]
    if args.only in (None, "rdb"):
        print("RDB save/load, %d keys" % args.keys, flush=True)
        res, sizes = rdb_timing(args.keys, args.rounds)
        med = {n: {k: median(v) for k, v in d.items()} for n, d in res.items()}
        lines += ["## RDB save and load: %s string keys (16-byte values)" % format(args.keys, ","), "",
                  "| | pyredis | redis | ratio |", "|---|---:|---:|---:|",
                  "| SAVE seconds | %.3f | %.3f | %.2f |" % (
                      med["pyredis"]["save"], med["redis"]["save"],
                      med["pyredis"]["save"] / med["redis"]["save"]),
                  "| load seconds | %.3f | %.3f | %.2f |" % (
                      med["pyredis"]["load"], med["redis"]["load"],
                      med["pyredis"]["load"] / max(med["redis"]["load"], 1e-3)),
                  "| file bytes | %d | %d | %.3f |" % (
                      sizes["pyredis"], sizes["redis"], sizes["pyredis"] / sizes["redis"]),
                  "", "Median of %d rounds; ratio = pyredis/redis (lower is better)." % args.rounds, ""]
    if args.only in (None, "bgsave"):
        lines += ["## BGSAVE under a GET load: %s keys" % format(args.bgsave_keys, ","), "",
                  "| server | idle p99 ms | p99 during BGSAVE ms | p99 ratio | per round "
                  "| max ms idle / during | RSS before MB | peak RSS+CoW MB | peak ratio "
                  "| fork ms | saves |",
                  "|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|"]
        for name in [args.server] if args.server else ("pyredis", "redis"):
            print("BGSAVE under load: %s, %d keys" % (name, args.bgsave_keys), flush=True)
            r = bgsave_under_load(name, args.bgsave_keys, args.requests, args.rounds)
            print("  %r" % (r,), flush=True)
            idle = median([x[1] for x in r["idle"]])
            busy = median([x[1] for x in r["busy"]])
            lines.append("| %s | %.3f | %.3f | %.2f | %s | %.1f / %.1f | %s | %s | %.2f | %.1f | %d |" % (
                name, idle, busy, busy / idle,
                " ".join("%.2f" % (b[1] / i[1]) for i, b in zip(r["idle"], r["busy"])),
                max(x[2] for x in r["idle"]), max(x[2] for x in r["busy"]),
                mb(r["rss_before"]), mb(r["peak"]),
                r["peak"] / r["rss_before"], r["fork_usec"] / 1000.0, r["saves"]))
        lines += ["", "redis-benchmark -c 50 -P 1 -n %d GET on random existing keys, run %d times "
                  "alternately on the idle server and while BGSAVEs run back to back; p99 columns "
                  "are medians, then each round's ratio.  Peak = largest (parent RSS + the "
                  "child's Private_Dirty) sampled every %d ms while a child ran."
                  % (args.requests, args.rounds, SAMPLE_SECONDS * 1000), ""]
    if args.only in (None, "aof"):
        print("AOF everysec vs off, SET", flush=True)
        res = aof_throughput(args.aof_requests, args.rounds)
        med = {k: median(v) for k, v in res.items()}
        lines += ["## SET throughput with AOF (appendfsync everysec) vs without", "",
                  "| server | -P | AOF off req/s | AOF everysec req/s | ratio |",
                  "|---|---:|---:|---:|---:|"]
        for name in ("pyredis", "redis"):
            for pipeline in (1, 16):
                off, on = med[(name, False, pipeline)], med[(name, True, pipeline)]
                lines.append("| %s | %d | %.0f | %.0f | %.2f |" % (name, pipeline, off, on, on / off))
        lines += ["", "redis-benchmark -c 50 SET, -n %d (-P 1) / %d (-P 16); median of %d rounds."
                  % (args.aof_requests, args.aof_requests * 10, args.rounds), ""]
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "results-persistence.md")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    print("wrote %s" % path)


if __name__ == "__main__":
    main()
