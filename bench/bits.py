#!/usr/bin/env python3
"""Throughput of the bitmap and HyperLogLog commands, pyredis next to the
real redis-server: redis-benchmark -c 50 -P 16 of
  SETBIT bm:<random of 1000 keys> 8191 1  (redis-benchmark's __rand_int__ is
        zero-padded, which no offset parser accepts, so the key varies)
  BITCOUNT bm:<random of 1000 keys>        (1 KB strings)
  PFADD hll <random element>       (one HLL, dense after the first runs)
  PFCOUNT hll                      (cache valid: the header's cached value)
  PFCOUNT hll hll2                 (merge of two HLLs per call)
Servers alternate per round; the median of the rounds is reported.

Usage: python bench/bits.py [--rounds R] [--requests N] [--out DIR]
Writes results-bits.md in --out (default bench/).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import command_rounds, ratio_table, run_command_benchmark  # noqa: E402

TESTS = [
    ("SETBIT", ["SETBIT", "bm:__rand_int__", "8191", "1"], ["-r", "1000"]),
    ("BITCOUNT", ["BITCOUNT", "bm:__rand_int__"], ["-r", "1000"]),
    ("PFADD", ["PFADD", "hll", "el:__rand_int__"], ["-r", "100000000"]),
    ("PFCOUNT 1 key", ["PFCOUNT", "hll"], []),
    ("PFCOUNT 2 keys", ["PFCOUNT", "hll", "hll2"], []),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=1000000)
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()

    def prefill(server):
        # hll2 is a second dense HLL for the two-key PFCOUNT
        run_command_benchmark(server, ["PFADD", "hll2", "x:__rand_int__"], 16, 50000, 50,
                              ["-r", "100000000"])
    results = command_rounds(TESTS, args.rounds, args.pipeline, args.requests, args.clients,
                             prefill)
    lines = [
        "# Bitmap and HyperLogLog throughput",
        "",
        "`python bench/bits.py --rounds %d --requests %d --pipeline %d`"
        % (args.rounds, args.requests, args.pipeline),
        "",
        "redis-benchmark -c %d -P %d, %d requests per run; runs alternate between the "
        "servers, median of %d." % (args.clients, args.pipeline, args.requests, args.rounds),
        "",
    ] + ratio_table(TESTS, results)
    with open(os.path.join(args.out, "results-bits.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
