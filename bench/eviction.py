#!/usr/bin/env python3
"""SET throughput while evicting, pyredis next to the real redis-server.

Each server runs with maxmemory LIMIT and allkeys-lru.  A warm-up
redis-benchmark SET run over a random keyspace ten times larger than what
fits under the limit fills memory, so every measured SET makes room by
evicting.  Then the measured runs: redis-benchmark SET -r KEYSPACE,
alternating pyredis, redis, pyredis, ... for --rounds rounds; each cell is
the median.  Keys that fit: measured on each server after the warm-up
(DBSIZE), the keyspace is 10x that of the real server.

Usage: python bench/eviction.py [--limit-mb M] [--requests N] [--pipeline P]
                                [--rounds R] [--out DIR]
Writes results-eviction.md in --out (default bench/).
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Client, make_servers, run_command_benchmark  # noqa: E402

VALUE_SIZE = 100


def info(server, field):
    c = Client(server.port)
    text = c.call("INFO", "all")
    c.close()
    if isinstance(text, bytes):
        text = text.decode()
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split(":", 1)[1])
    return None


def configure(server, limit):
    c = Client(server.port)
    for name, value in (("maxmemory", str(limit)), ("maxmemory-policy", "allkeys-lru")):
        r = c.call("CONFIG", "SET", name, value)
        if r != "OK":
            raise RuntimeError("CONFIG SET %s on %s: %r" % (name, server.name, r))
    c.close()


def set_run(server, keyspace, requests, pipeline, clients):
    return run_command_benchmark(
        server, ["SET", "key:__rand_int__", "x" * VALUE_SIZE], pipeline, requests, clients,
        extra=["-r", str(keyspace)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-mb", type=int, default=64)
    ap.add_argument("--requests", type=int, default=1000000)
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    limit = args.limit_mb * 1024 * 1024
    servers = make_servers()
    results = {name: [] for name in servers}
    state = {}
    try:
        for s in servers.values():
            s.start()
            configure(s, limit)
        # how many keys fit: fill the real server to the limit first
        real = servers["redis"]
        set_run(real, 50 * 1000 * 1000, 2 * limit // VALUE_SIZE, args.pipeline, args.clients)
        c = Client(real.port)
        fits = c.call("DBSIZE")
        c.close()
        keyspace = 10 * fits
        print("redis holds %d keys under %d MB: keyspace %d" % (fits, args.limit_mb, keyspace),
              flush=True)
        # warm-up: fill both servers over the keyspace until they evict
        for s in servers.values():
            set_run(s, keyspace, 2 * fits, args.pipeline, args.clients)
            state[s.name] = {"evicted0": info(s, "evicted_keys")}
            print("%s warmed up: used_memory %d, evicted %d" % (
                s.name, info(s, "used_memory"), state[s.name]["evicted0"]), flush=True)
        for rnd in range(args.rounds):
            for name in ("pyredis", "redis"):
                s = servers[name]
                r = set_run(s, keyspace, args.requests, args.pipeline, args.clients)
                if "error" in r:
                    raise RuntimeError(r["error"])
                results[name].append(r["rps"])
                print("round %d %-7s %10.0f SET/s  used_memory %d  evicted %d" % (
                    rnd + 1, name, r["rps"], info(s, "used_memory"), info(s, "evicted_keys")),
                    flush=True)
        for s in servers.values():
            c = Client(s.port)
            state[s.name].update(used=info(s, "used_memory"), rss=s.rss_bytes(),
                                 keys=c.call("DBSIZE"),
                                 evicted=info(s, "evicted_keys") - state[s.name]["evicted0"])
            c.close()
    finally:
        for s in servers.values():
            s.stop()
            s.cleanup()
    med = {name: statistics.median(v) for name, v in results.items()}
    ratio = med["pyredis"] / med["redis"]
    lines = [
        "# SET throughput while evicting",
        "",
        "`python bench/eviction.py --limit-mb %d --requests %d --pipeline %d --rounds %d`"
        % (args.limit_mb, args.requests, args.pipeline, args.rounds),
        "",
        "maxmemory %d MB, allkeys-lru, maxmemory-samples 5; redis-benchmark SET of %d-byte "
        "values over %d random keys (10x the %d keys redis-server holds under the limit), "
        "-c %d -P %d, after a warm-up that filled memory; runs alternate, median of %d."
        % (args.limit_mb, VALUE_SIZE, keyspace, fits, args.clients, args.pipeline, args.rounds),
        "",
        "| server | SET/s (median) | runs | used_memory at end | RSS at end | keys held | evicted during runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("pyredis", "redis"):
        st = state[name]
        lines.append("| %s | %.0f | %s | %.1f MB | %.1f MB | %d | %d |" % (
            name, med[name], ", ".join("%.0f" % v for v in results[name]),
            st["used"] / 2 ** 20, st["rss"] / 2 ** 20, st["keys"], st["evicted"]))
    lines += ["", "pyredis / redis: **%.2fx**" % ratio, ""]
    path = os.path.join(args.out, "results-eviction.md")
    os.makedirs(args.out, exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    print("wrote", path)


if __name__ == "__main__":
    main()
