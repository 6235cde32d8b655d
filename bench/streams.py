#!/usr/bin/env python3
"""Throughput of stream writes and consumer-group reads, pyredis next to
the real redis-server: redis-benchmark -c 50 -P 16 of
  XADD s * field <value>                 (auto IDs, appends to the tail node)
  XADD capped MAXLEN ~ 1000 * f <value>  (approximate trimming every call)
  XREADGROUP GROUP g c COUNT 1 STREAMS r >
        (a group read of the next entry: PEL insert + XCLAIM-free reply;
        the stream r is pre-filled with as many entries as requests and the
        group is recreated before each run)
Servers alternate per round; the median of the rounds is reported.

Usage: python bench/streams.py [--rounds R] [--requests N] [--out DIR]
Writes results-streams.md in --out (default bench/).
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, make_servers, run_command_benchmark  # noqa: E402

TESTS = [
    ("XADD", ["XADD", "s", "*", "field", "__rand_int__"], ["-r", "1000000"]),
    ("XADD MAXLEN ~ 1000", ["XADD", "capped", "MAXLEN", "~", "1000", "*", "f", "__rand_int__"],
     ["-r", "1000000"]),
    ("XREADGROUP COUNT 1", ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "r", ">"], []),
]


def reset_group(server):
    c = Client(server.port)
    try:
        c.call("XGROUP", "DESTROY", "r", "g")
        c.call("XGROUP", "CREATE", "r", "g", "0")
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=500000)
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    servers = make_servers()
    results = {(t[0], name): [] for t in TESTS for name in servers}
    try:
        for s in servers.values():
            s.start()
        for name, s in servers.items():
            r = run_command_benchmark(s, ["XADD", "r", "*", "f", "__rand_int__"], 16,
                                      args.requests, 50, ["-r", "1000000"])
            if "error" in r:
                sys.exit("prefill on %s: %s" % (name, r["error"]))
        for rnd in range(args.rounds):
            for test, cmd, extra in TESTS:
                for name, s in servers.items():
                    if cmd[0] == "XREADGROUP":
                        reset_group(s)
                    r = run_command_benchmark(s, cmd, args.pipeline, args.requests,
                                              args.clients, extra)
                    if "error" in r:
                        sys.exit("%s on %s: %s" % (test, name, r["error"]))
                    results[(test, name)].append(r["rps"])
                    print("round %d %-20s %-8s %10.0f req/s" % (rnd + 1, test, name, r["rps"]),
                          flush=True)
    finally:
        for s in servers.values():
            s.stop()
            s.cleanup()
    lines = [
        "# Stream throughput",
        "",
        "`python bench/streams.py --rounds %d --requests %d --pipeline %d`"
        % (args.rounds, args.requests, args.pipeline),
        "",
        "redis-benchmark -c %d -P %d, %d requests per run; runs alternate between the "
        "servers, median of %d.  XREADGROUP reads a stream pre-filled with %d entries "
        "through a group recreated before each run." % (
            args.clients, args.pipeline, args.requests, args.rounds, args.requests),
        "",
        "The last column shows how far the runs scatter: the lowest and highest "
        "ratio of a pyredis run to the redis run next to it.",
        "",
        "| command | pyredis req/s | redis req/s | pyredis / redis | per-round ratios |",
        "|---|---|---|---|---|",
    ]
    for test, _, _ in TESTS:
        ours = statistics.median(results[(test, "pyredis")])
        real = statistics.median(results[(test, "redis")])
        rounds = [a / b for a, b in zip(results[(test, "pyredis")], results[(test, "redis")])]
        lines.append("| %s | %.0f | %.0f | **%.2fx** | %.2f-%.2f |"
                     % (test, ours, real, ours / real, min(rounds), max(rounds)))
    with open(os.path.join(args.out, "results-streams.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
