#!/usr/bin/env python3
"""Scripting and pub/sub throughput, pyredis against redis-server.

EVALSHA of two small scripts (a GET and an INCR through redis.call), and
PUBLISH to a channel with 1 and with 100 subscribers: redis-benchmark runs
against one pyredis and one redis-server, alternately, for --rounds rounds;
the medians of req/s and of server CPU time per request are compared.
Subscribers are plain sockets drained by one thread of this script, the same
for both servers.  Writes results-messaging.md.

Usage: python bench/messaging.py [--requests N] [--rounds R] [--clients C]
                                 [--cases evalsha_get,...,publish_100] [--out DIR]
"""
import argparse
import os
import selectors
import socket
import statistics
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, make_servers, run_command_benchmark  # noqa: E402

SCRIPTS = {
    "evalsha_get": "return redis.call('GET', KEYS[1])",
    "evalsha_incr": "return redis.call('INCR', KEYS[1])",
}
CHANNEL = "bench:channel"


class Subscribers:
    """n connections SUBSCRIBEd to CHANNEL; a thread reads and drops what
    they receive, counting bytes."""

    def __init__(self, port, n):
        self.socks = []
        self.received = 0
        self.stop = threading.Event()
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$%d\r\n%s\r\n" % (len(CHANNEL), CHANNEL.encode()))
            s.setblocking(False)
            self.socks.append(s)
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self):
        sel = selectors.DefaultSelector()
        for s in self.socks:
            sel.register(s, selectors.EVENT_READ)
        while not self.stop.is_set():
            for key, _ in sel.select(timeout=0.1):
                try:
                    data = key.fileobj.recv(1 << 20)
                except BlockingIOError:
                    continue
                self.received += len(data)
        sel.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.socks:
            s.close()


def wait_subscribed(server, n):
    c = Client(server.port, timeout=10)
    try:
        for _ in range(200):
            reply = c.call("PUBSUB", "NUMSUB", CHANNEL)
            if reply[1] == n:
                return
            threading.Event().wait(0.02)
    finally:
        c.close()
    raise RuntimeError("%s: subscribers did not all subscribe" % server.name)


def bench_evalsha(server, name, pipeline, requests, clients):
    c = Client(server.port, timeout=10)
    sha = c.call("SCRIPT", "LOAD", SCRIPTS[name])
    sha = sha.decode() if isinstance(sha, bytes) else sha
    c.call("SET", "bench:key", "1")
    c.close()
    return run_command_benchmark(server, ["EVALSHA", sha, "1", "bench:key"],
                                 pipeline, requests, clients)


def bench_publish(server, nsubs, pipeline, requests, clients):
    subs = Subscribers(server.port, nsubs)
    try:
        wait_subscribed(server, nsubs)
        return run_command_benchmark(server, ["PUBLISH", CHANNEL, "hello world"],
                                     pipeline, requests, clients)
    finally:
        subs.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--cases", default="evalsha_get,evalsha_incr,publish_1,publish_100")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    servers = make_servers()
    cases = [(n, p) for n in args.cases.split(",") for p in (1, 16)]
    results = {}       # (server, case, pipeline) -> [result, ...]
    try:
        for s in servers.values():
            s.start()
        for _ in range(args.rounds):
            for case, pipeline in cases:
                requests = args.requests * (10 if pipeline > 1 else 1)
                if case == "publish_100":
                    requests //= 10
                for name in ("pyredis", "redis"):
                    s = servers[name]
                    if case.startswith("evalsha"):
                        r = bench_evalsha(s, case, pipeline, requests, args.clients)
                    else:
                        r = bench_publish(s, int(case.split("_")[1]), pipeline, requests,
                                          args.clients)
                    if "error" in r:
                        raise RuntimeError("%s %s: %s" % (name, case, r["error"]))
                    results.setdefault((name, case, pipeline), []).append(r)
                    print("%-8s %-13s -P %-2d %10.0f req/s %7.2f us cpu/req"
                          % (name, case, pipeline, r["rps"], r["cpu_us"]), flush=True)
    finally:
        for s in servers.values():
            s.stop()
            s.cleanup()
    lines = ["# Scripting and pub/sub", "",
             "Generated by `python bench/messaging.py %s`." % " ".join(sys.argv[1:]), "",
             "| case | -P | pyredis req/s | redis req/s | throughput ratio "
             "| pyredis CPU us/req | redis CPU us/req | CPU ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for case, pipeline in cases:
        med = {}
        for name in ("pyredis", "redis"):
            rs = results[(name, case, pipeline)]
            med[name] = (statistics.median(r["rps"] for r in rs),
                         statistics.median(r["cpu_us"] for r in rs))
        lines.append("| %s | %d | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f |" % (
            case, pipeline, med["pyredis"][0], med["redis"][0],
            med["pyredis"][0] / med["redis"][0], med["pyredis"][1], med["redis"][1],
            med["pyredis"][1] / med["redis"][1]))
    lines += ["", "redis-benchmark -c %d; -n %d at -P 1 and ten times that at -P 16 "
              "(a tenth of each for 100 subscribers); median of %d rounds, servers "
              "alternating.  Scripts: %s.  PUBLISH sends 'hello world' to %s."
              % (args.clients, args.requests, args.rounds,
                 "; ".join("%s = `%s`" % kv for kv in SCRIPTS.items()), CHANNEL), ""]
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "results-messaging.md")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    print("wrote %s" % path)


if __name__ == "__main__":
    main()
