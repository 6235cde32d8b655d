#!/usr/bin/env python3
"""Many clients, pyredis next to the real redis-server:
  1. 10,000 idle connections opened and held (each sent one PING), with
     the server's RSS per held connection and INFO connected_clients;
  2. while they are held, redis-benchmark with 1,000 active clients
     (SET and GET, -P 1): throughput and any error it reports.
Servers alternate per round; the median of the rounds is reported.

Usage: python bench/clients.py [--idle N] [--active C] [--requests R] [--rounds R]
Writes results-clients.md in --out (default bench/).
"""
import argparse
import os
import resource
import socket
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, make_servers, run_benchmark  # noqa: E402


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def hold_idle(server, n):
    """Open n connections, PING on each; returns the sockets."""
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        s.sendall(b"PING\r\n")
        socks.append(s)
    for s in socks:
        got = b""
        while not got.endswith(b"\r\n"):
            chunk = s.recv(64)
            if not chunk:
                raise RuntimeError("%s closed an idle connection" % server.name)
            got += chunk
        if got != b"+PONG\r\n":
            raise RuntimeError("%s answered %r" % (server.name, got))
    return socks


def one_round(server, idle, active, requests):
    server.start()
    socks = []
    try:
        before = rss_bytes(server.proc.pid)
        socks = hold_idle(server, idle)
        held = rss_bytes(server.proc.pid)
        c = Client(server.port)
        info = c.call("INFO", "clients")
        c.close()
        info = info.decode() if isinstance(info, bytes) else info
        connected = int(info.split("connected_clients:")[1].split()[0])
        res = {"connected": connected, "bytes_per_idle": (held - before) / idle}
        for test in ("set", "get"):
            r = run_benchmark(server, test, 1, requests, active)
            res[test] = r.get("rps") if "error" not in r else None
            res[test + "_error"] = r.get("error")
        return res
    finally:
        for s in socks:
            s.close()
        server.stop()
        server.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idle", type=int, default=10000)
    ap.add_argument("--active", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.idle + args.active + 1000
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    results = {"pyredis": [], "redis": []}
    for _ in range(args.rounds):
        for kind in ("pyredis", "redis"):
            server = make_servers()[kind]
            server.argv += ["--maxclients", str(args.idle + args.active + 100)]
            r = one_round(server, args.idle, args.active, args.requests)
            print(kind, r, flush=True)
            results[kind].append(r)
    rows = []
    for kind in ("pyredis", "redis"):
        rs = results[kind]
        rows.append((kind, rs[-1]["connected"],
                     statistics.median(r["bytes_per_idle"] for r in rs),
                     statistics.median(r["set"] or 0 for r in rs),
                     statistics.median(r["get"] or 0 for r in rs),
                     sum(1 for r in rs for t in ("set", "get") if r[t + "_error"])))
    lines = ["# Many clients", "",
             "`python bench/clients.py --idle %d --active %d --requests %d --rounds %d`"
             % (args.idle, args.active, args.requests, args.rounds), "",
             "| server | connected_clients held | RSS per idle client (bytes) | "
             "SET req/s with %d active | GET req/s | runs with errors |" % args.active,
             "|---|---|---|---|---|---|"]
    for kind, conn, per, s, g, errs in rows:
        lines.append("| %s | %d | %.0f | %.0f | %.0f | %d |" % (kind, conn, per, s, g, errs))
    (py, rd) = rows
    lines += ["", "pyredis / redis: SET %.2f, GET %.2f; RSS per idle client %.2f"
              % (py[3] / rd[3] if rd[3] else 0, py[4] / rd[4] if rd[4] else 0,
                 py[2] / rd[2] if rd[2] else 0)]
    with open(os.path.join(args.out, "results-clients.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
