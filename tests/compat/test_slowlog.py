"""Differential tests for SLOWLOG, LATENCY and MONITOR: what is logged,
how arguments are cut and redacted, the replies and the error texts.
Times, ids, ports and timestamps differ between two servers and are
masked; everything else is compared exactly."""
import re

import pytest

from support.resp import RespClient, parse


@pytest.fixture
def slowlog_all(pair, config):
    """Every command is slow; the log starts empty."""
    config("slowlog-log-slower-than", "0")
    pair.check("SLOWLOG", "RESET")
    yield
    pair.check("SLOWLOG", "RESET")


def entries(conn, count="-1"):
    """SLOWLOG GET with the id, timestamp, duration and port masked."""
    out = []
    for e in parse(conn.call("SLOWLOG", "GET", count)):
        eid, ts, dur, args, addr, name = e
        assert isinstance(eid, int) and isinstance(ts, int) and isinstance(dur, int)
        out.append((args, addr.rsplit(b":", 1)[0], name))
    return out


def test_commands_are_logged_newest_first(pair, slowlog_all):
    pair.check("SET", "k", "v")
    pair.check("CLIENT", "SETNAME", "app")
    pair.check("GET", "k")
    assert entries(pair.real) == entries(pair.ours)
    assert entries(pair.ours)[1][0] == [b"GET", b"k"]


def test_long_arguments_and_many_arguments_are_cut(pair, slowlog_all):
    pair.check("SET", "x" * 200, "y" * 129)
    pair.check("DEL", *["k%d" % i for i in range(40)])
    assert entries(pair.real, "2") == entries(pair.ours, "2")


def test_auth_and_hello_secrets_are_redacted(pair, slowlog_all):
    pair.check("AUTH", "secret")
    pair.check("AUTH", "someone", "secret")
    pair.both("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "n")     # ids differ
    assert entries(pair.real) == entries(pair.ours)
    assert b"secret" not in repr(entries(pair.ours)).encode()


def test_the_log_keeps_slowlog_max_len_entries(pair, slowlog_all, config):
    config("slowlog-max-len", "3")
    for i in range(5):
        pair.check("SET", "k", str(i))
    pair.check("SLOWLOG", "LEN")
    assert entries(pair.real) == entries(pair.ours)


def test_a_negative_threshold_logs_nothing(pair, slowlog_all, config):
    config("slowlog-log-slower-than", "-1")
    pair.check("SLOWLOG", "RESET")
    pair.check("SET", "k", "v")
    pair.check("SLOWLOG", "LEN")
    pair.check("SLOWLOG", "GET")


@pytest.mark.parametrize("args", [
    ("GET", "x"), ("GET", "-2"), ("GET", "-1", "extra"), ("LEN", "x"), ("RESET", "x"),
    ("foo",), ("HELP",), ("help", "x"),
])
def test_slowlog_subcommand_errors(pair, args):
    pair.check("SLOWLOG", *args)


@pytest.mark.parametrize("args", [
    ("LATEST",), ("HISTORY", "command"), ("HISTORY",), ("RESET",), ("RESET", "command", "x"),
    ("LATEST", "x"), ("HELP",), ("nope",),
])
def test_latency_subcommands(pair, args):
    pair.check("LATENCY", *args)


SPIN_20MS = """local t = redis.call('TIME')
local start = t[1] * 1000000 + t[2]
repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > 20000
return 1"""


def test_latency_monitor_samples_slow_commands(pair, config):
    config("latency-monitor-threshold", "1")
    pair.check("LATENCY", "RESET")
    pair.check("EVAL", SPIN_20MS, "0")
    for conn in (pair.real, pair.ours):
        latest = parse(conn.call("LATENCY", "LATEST"))
        assert [e[0] for e in latest] == [b"command"]
        assert latest[0][2] >= 20 and latest[0][3] >= 20
        history = parse(conn.call("LATENCY", "HISTORY", "command"))
        assert len(history) == 1 and history[0][1] >= 20
    pair.check("LATENCY", "RESET", "command")
    pair.check("LATENCY", "LATEST")


STAMP = re.compile(rb"^\+\d+\.\d{6} \[(\d+) ([^\]]+)\] (.*)$")


def monitor_lines(server, commands):
    """What a MONITOR client sees while another client sends commands."""
    mon, other = RespClient(port=server.port), RespClient(port=server.port)
    try:
        assert mon.call("MONITOR") == b"+OK\r\n"
        for cmd in commands:
            other.call(*cmd)
        other.call("ECHO", "end")
        lines = []
        while True:
            raw = mon.read_reply()
            m = STAMP.match(raw.rstrip(b"\r\n"))
            assert m, raw
            db, who, text = m.groups()
            lines.append((db, who.rsplit(b":", 1)[0], text))
            if text == b'"ECHO" "end"':
                return lines
    finally:
        mon.close()
        other.close()


def test_monitor_shows_commands_as_redis_does(pair):
    commands = [
        ("SET", "k", 'a "quoted"\nvalue\x01'), ("AUTH", "pw"), ("CONFIG", "GET", "maxmemory"),
        ("SELECT", "2"), ("GET", "k"), ("SELECT", "0"), ("MULTI",), ("SET", "x", "1"),
        ("INCR", "x"), ("EXEC",), ("EVAL", "return redis.call('set','k','v')", "0"),
        ("HELLO", "2", "AUTH", "default", "pw"),
    ]
    assert monitor_lines(pair.real_server, commands) == monitor_lines(pair.ours_server, commands)


@pytest.mark.parametrize("args", [("x",)])
def test_monitor_arity(pair, args):
    pair.check("MONITOR", *args)


def test_monitor_is_refused_in_a_transaction(pair):
    pair.check("MULTI")
    pair.check("MONITOR")
    pair.check("EXEC")


LATENCY_LINE = re.compile(rb"^latency_percentiles_usec_([a-z|_-]+):(p[0-9.]+=\d+\.\d{3}(,|$))+")


def latency_lines(conn):
    text = parse(conn.call("INFO", "latencystats"))
    return {m.group(1): line for line in text.split(b"\r\n")
            for m in [LATENCY_LINE.match(line)] if m}


def test_info_latencystats_has_a_line_per_called_command(pair, config):
    pair.check("SET", "k", "v")
    pair.check("CONFIG", "GET", "maxmemory")
    real, ours = latency_lines(pair.real), latency_lines(pair.ours)
    assert b"set" in ours and b"config|get" in ours
    names = lambda line: re.findall(rb"p[0-9.]+(?==)", line)
    assert names(ours[b"set"]) == names(real[b"set"]) == [b"p50", b"p99", b"p99.9"]
    config("latency-tracking-info-percentiles", "50 99.99 100")
    assert names(latency_lines(pair.ours)[b"set"]) == names(latency_lines(pair.real)[b"set"]) \
        == [b"p50", b"p99.99", b"p100"]


def as_map(v):
    """A RESP3 map, or the flat array RESP2 sends for it."""
    return v if isinstance(v, dict) else dict(zip(v[::2], v[1::2]))


def test_latency_histogram_of_a_command(pair):
    pair.check("SET", "h", "v")
    for conn in (pair.real, pair.ours):
        reply = as_map(parse(conn.call("LATENCY", "HISTOGRAM", "set", "nosuchcommand")))
        assert list(reply) == [b"set"]
        body = as_map(reply[b"set"])
        assert list(body) == [b"calls", b"histogram_usec"]
        buckets = list(as_map(body[b"histogram_usec"]).items())
        # 1024 ns doubled, each as the highest value of its bucket, in whole us
        labels = [((1 << (10 + k)) + (1 << (3 + k)) - 1) // 1000 for k in range(30)]
        assert buckets and all(b in labels for b, _ in buckets)
        counts = [n for _, n in buckets]
        assert counts == sorted(counts) and counts[-1] == body[b"calls"]
    pair.check("LATENCY", "HISTOGRAM", "nosuchcommand")
