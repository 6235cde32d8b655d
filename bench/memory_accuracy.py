#!/usr/bin/env python3
"""How close INFO used_memory is to what the process really holds for data.

Starts pyredis (and redis-server for reference), loads N keys of each
shape in steps, and after each step compares the growth of used_memory
with the growth of the process RSS since the empty start.  The RSS growth
is what the data really costs the machine (the interpreter's own pages are
in both the start and the end figures and cancel out).

Usage: python bench/memory_accuracy.py [--keys N] [--steps S]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, encode, make_servers, pipeline_commands  # noqa: E402

SHAPES = {
    "strings 100 B": lambda i: ("SET", "key:%d" % i, "x" * 100),
    "strings 1 KB": lambda i: ("SET", "key:%d" % i, "x" * 1000),
    "hashes 10 fields": lambda i: ("HSET", "h:%d" % i) + tuple(
        x for f in range(10) for x in ("f%d" % f, "value%d" % f)),
}


def used_memory(c):
    text = c.call("INFO", "memory")
    if isinstance(text, bytes):
        text = text.decode()
    for line in text.splitlines():
        if line.startswith("used_memory:"):
            return int(line.split(":")[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--steps", type=int, default=4)
    args = ap.parse_args()
    print("| server | shape | keys | used_memory growth | RSS growth | used / RSS |")
    print("|---|---|---|---|---|---|")
    for shape, make in SHAPES.items():
        n = args.keys if "100 B" in shape else args.keys // 5
        for name, s in make_servers().items():
            try:
                s.start()
                c = Client(s.port)
                u0, r0 = used_memory(c), s.rss_bytes()
                done = 0
                for step in range(1, args.steps + 1):
                    upto = n * step // args.steps
                    pipeline_commands(s, (encode([a.encode() for a in make(i)])
                                          for i in range(done, upto)))
                    done = upto
                    du, dr = used_memory(c) - u0, s.rss_bytes() - r0
                    print("| %s | %s | %d | %.1f MB | %.1f MB | %.3f |" % (
                        name, shape, done, du / 2 ** 20, dr / 2 ** 20, du / dr if dr else 0),
                        flush=True)
                c.close()
            finally:
                s.stop()
                s.cleanup()


if __name__ == "__main__":
    main()
