#!/usr/bin/env python3
"""Replication benchmarks of pyredis next to the real redis-server.

1. Write throughput with replicas: redis-benchmark SET on a master with no
   replica, then on a fresh master of the same kind with two replicas of
   that kind attached; the ratio is what replication costs.
2. Full sync time: a master filled with N string keys (default 1,000,000);
   a replica of the same kind is started and timed until INFO replication
   shows its link up with the master's offset.  Meanwhile a client PINGs
   the master every 5 ms: the slowest answer shows whether the master kept
   serving while the snapshot was made (by a forked child) and sent.

Usage: python bench/replication.py [--keys N] [--requests R] [--only set|sync]
                                   [--diskless yes|no]
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, fill, make_servers, run_benchmark  # noqa: E402


def replication_info(server):
    c = Client(server.port, timeout=30)
    try:
        text = c.call("INFO", "replication")
    finally:
        c.close()
    if isinstance(text, bytes):
        text = text.decode()
    return dict(l.split(":", 1) for l in text.splitlines() if ":" in l)


def attach(master, kind):
    r = make_servers()[kind]
    r.argv += ["--replicaof", "127.0.0.1", str(master.port)]
    return r


def wait_synced(master, replica, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        ri = replication_info(replica)
        if ri.get("master_link_status") == "up" and \
                ri.get("slave_repl_offset") == replication_info(master)["master_repl_offset"]:
            return True
        time.sleep(0.02)
    return False


def bench_set(kind, requests, replicas):
    m = make_servers()[kind]
    started = [m]
    try:
        m.start()
        for _ in range(replicas):
            r = attach(m, kind)
            started.append(r)
            r.start()
            if not wait_synced(m, r, 30):
                return None
        res = run_benchmark(m, "set", 16, requests, 50)
        return res.get("rps")
    finally:
        for s in started:
            s.stop()
            s.cleanup()


def bench_sync(kind, nkeys, diskless):
    """(seconds to sync, slowest PING to the master meanwhile in ms)."""
    m = make_servers()[kind]
    # redis-server would wait 5 s for more replicas before a diskless sync
    m.argv += ["--repl-diskless-sync-delay", "0", "--repl-diskless-sync", diskless]
    r = None
    done = threading.Event()
    slowest = [0.0]

    def pinger():
        c = Client(m.port, timeout=30)
        try:
            while not done.is_set():
                t = time.perf_counter()
                c.call("PING")
                slowest[0] = max(slowest[0], time.perf_counter() - t)
                time.sleep(0.005)
        finally:
            c.close()
    try:
        m.start()
        fill(m, nkeys)
        r = attach(m, kind)
        t0 = time.perf_counter()
        th = threading.Thread(target=pinger)
        th.start()
        r.start()
        ok = wait_synced(m, r)
        took = time.perf_counter() - t0
        done.set()
        th.join()
        return (took if ok else None), slowest[0] * 1000
    finally:
        done.set()
        for s in (m, r):
            if s is not None:
                s.stop()
                s.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--requests", type=int, default=300000)
    ap.add_argument("--only", choices=("set", "sync"))
    ap.add_argument("--diskless", choices=("yes", "no"), default="yes")
    a = ap.parse_args()
    for kind in ("pyredis", "redis"):
        if a.only in (None, "set"):
            base = bench_set(kind, a.requests, 0)
            two = bench_set(kind, a.requests, 2)
            print("%-8s SET -P 16: no replica %s req/s, two replicas %s req/s, ratio %s"
                  % (kind, base, two, "%.2f" % (two / base) if base and two else "-"),
                  flush=True)
        if a.only in (None, "sync"):
            t, slowest = bench_sync(kind, a.keys, a.diskless)
            print("%-8s full sync of %d keys (diskless %s): %s, slowest master PING meanwhile "
                  "%.1f ms" % (kind, a.keys, a.diskless, "%.2f s" % t if t else "failed",
                               slowest), flush=True)


if __name__ == "__main__":
    main()
