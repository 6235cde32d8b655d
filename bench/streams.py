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
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, command_rounds, ratio_table, run_command_benchmark  # noqa: E402

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

    def prefill(server):
        r = run_command_benchmark(server, ["XADD", "r", "*", "f", "__rand_int__"], 16,
                                  args.requests, 50, ["-r", "1000000"])
        if "error" in r:
            sys.exit("prefill on %s: %s" % (server.name, r["error"]))

    def before(server, cmd):
        if cmd[0] == "XREADGROUP":
            reset_group(server)
    results = command_rounds(TESTS, args.rounds, args.pipeline, args.requests, args.clients,
                             prefill, before)
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
    ] + ratio_table(TESTS, results)
    with open(os.path.join(args.out, "results-streams.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
