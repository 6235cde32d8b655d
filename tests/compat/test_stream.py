"""Differential tests for stream commands (t_stream, t_stream_group)."""
import re
import time

import pytest

from support.resp import Error, parse


def resp3(pair):
    pair.both("HELLO", "3")


def fill(pair, key="s", n=5, start=1):
    for i in range(start, start + n):
        pair.check("XADD", key, "%d-1" % i, "f", "v%d" % i, "n", str(i))


def masked(raw):
    """A parsed reply with times (seen-time, delivery times, idle) zeroed:
    they differ by the milliseconds between the two servers' clocks."""
    v = parse(raw)

    def walk(x, key=None):
        if isinstance(x, list):
            return [walk(e) for e in x]
        if isinstance(x, dict):
            return {k: walk(e, k) for k, e in x.items()}
        return x
    return _mask(walk(v))


def _mask(v):
    if isinstance(v, list):
        out = []
        i = 0
        while i < len(v):
            e = v[i]
            if e in (b"seen-time", b"idle") and i + 1 < len(v) and isinstance(v[i + 1], int):
                out += [e, "T"]
                i += 2
                continue
            out.append(_mask(e))
            i += 1
        return out
    if isinstance(v, dict):
        return {k: ("T" if k in (b"seen-time", b"idle") else _mask(e)) for k, e in v.items()}
    if isinstance(v, int) and v > 10 ** 12:
        return "T"          # a unix ms time (delivery time)
    return v


def _mask_pending(v):
    """XPENDING's extended form: [id, consumer, idle ms, count] rows."""
    if isinstance(v, list):
        return [[r[0], r[1], "T", r[3]] if isinstance(r, list) and len(r) == 4 else r
                for r in v]
    return v


def check_masked(pair, *cmd):
    a, b = pair.both(*cmd)
    ma, mb = masked(a), masked(b)
    if cmd[0] == "XPENDING":
        ma, mb = _mask_pending(ma), _mask_pending(mb)
    assert ma == mb, "%s -> ours %r != real %r" % (cmd, b, a)
    return ma


# --- XADD -------------------------------------------------------------------------

def test_xadd_explicit_ids_and_xrange(pair):
    fill(pair)
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XLEN", "s")


def test_xadd_auto_id_is_now_and_increasing(pair):
    a, b = pair.both("XADD", "s", "*", "a", "1")
    assert re.match(rb"\$\d+\r\n\d{13}-0\r\n", b)
    ms = int(parse(b).split(b"-")[0])
    assert abs(ms - time.time() * 1000) < 5000
    pair.check("XADD", "s", "99999999999999-5", "a", "1")
    pair.check("XADD", "s", "*", "a", "2")
    pair.check("XADD", "s", "99999999999999-*", "a", "3")
    pair.check("XADD", "s", "99999999999999-*", "a", "3")


def test_xadd_ms_star_form(pair):
    pair.check("XADD", "s", "5-*", "a", "1")
    pair.check("XADD", "s", "5-*", "a", "1")
    pair.check("XADD", "s", "6-*", "a", "1")
    pair.check("XADD", "s", "4-*", "a", "1")
    pair.check("XRANGE", "s", "-", "+")


def test_xadd_id_errors(pair):
    pair.check("XADD", "s", "0-0", "a", "1")
    pair.check("EXISTS", "s")
    pair.check("XADD", "s", "0-*", "a", "1")
    pair.check("XADD", "s", "5-5", "a", "1")
    pair.check("XADD", "s", "5-5", "a", "1")
    pair.check("XADD", "s", "5-4", "a", "1")
    pair.check("XADD", "s", "4", "a", "1")
    pair.check("XADD", "s", "5", "a", "1")
    pair.check("XADD", "s", "6", "a", "1")
    for bad in ("abc", "1-x", "-", "+", "1-2-3", "-1", "1--1", "", "x-*", "1-**",
                "18446744073709551616-0", "1" * 130):
        pair.check("XADD", "s", bad, "a", "1")
    pair.check("XADD", "s", "18446744073709551615-18446744073709551615", "a", "1")
    pair.check("XADD", "s", "*", "a", "1")
    pair.check("XADD", "s", "18446744073709551615-*", "a", "1")


def test_xadd_lenient_number_forms(pair):
    for idv in ("007-1", "+8-1", " 9-1", "10-+1", "11-007"):
        pair.check("XADD", "s", idv, "a", "1")
    pair.check("XRANGE", "s", "-", "+")


def test_xadd_arity_and_options(pair):
    pair.check("XADD", "s", "*", "a")
    pair.check("XADD", "s", "*", "a", "1", "b")
    pair.check("XADD", "s", "NOMKSTREAM", "*", "a", "1")
    pair.check("EXISTS", "s")
    pair.check("XADD", "s", "MAXLEN")
    pair.check("XADD", "s", "MAXLEN", "x", "*", "a", "1")
    pair.check("XADD", "s", "MAXLEN", "-1", "*", "a", "1")
    pair.check("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "a", "1")
    pair.check("XADD", "s", "LIMIT", "10", "*", "a", "1")
    pair.check("XADD", "s", "MAXLEN", "1", "LIMIT", "10", "*", "a", "1")
    pair.check("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "a", "1")
    pair.check("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "x", "*", "a", "1")
    pair.check("XADD", "s", "MINID", "x", "*", "a", "1")
    pair.check("XADD", "s", "LIMIT", "0", "1-1", "a", "1")
    pair.check("EXISTS", "s")


def test_xadd_nomkstream_on_existing_key(pair):
    pair.check("XADD", "s", "1-1", "a", "1")
    pair.check("XADD", "s", "NOMKSTREAM", "2-1", "a", "1")
    pair.check("XLEN", "s")


def test_xadd_maxlen_exact_and_approx(pair):
    for i in range(1, 251):
        pair.check("XADD", "s", "MAXLEN", "=", "200", "%d-0" % i, "a", str(i))
    pair.check("XLEN", "s")
    pair.check("XRANGE", "s", "-", "+", "COUNT", "2")
    for i in range(251, 400):
        pair.check("XADD", "s", "MAXLEN", "~", "120", "%d-0" % i, "a", str(i))
    pair.check("XLEN", "s")
    pair.check("XINFO", "STREAM", "s")


def test_xadd_minid_trims(pair):
    fill(pair, n=10)
    pair.check("XADD", "s", "MINID", "5", "11-1", "f", "x")
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XADD", "s", "MINID", "~", "9", "12-1", "f", "x")
    pair.check("XLEN", "s")


def test_xadd_wrongtype(pair):
    pair.check("SET", "k", "v")
    pair.check("XADD", "k", "*", "a", "1")
    pair.check("XLEN", "k")
    pair.check("XRANGE", "k", "-", "+")


def test_xadd_samefields_and_new_fields_in_node(pair):
    pair.check("XADD", "s", "1-1", "a", "1", "b", "2")
    pair.check("XADD", "s", "2-1", "a", "3", "b", "4")
    pair.check("XADD", "s", "3-1", "b", "3", "a", "4")
    pair.check("XADD", "s", "4-1", "a", "3")
    pair.check("XADD", "s", "5-1", "a", "3", "b", "4", "c", "5")
    pair.check("XADD", "s", "6-1", "12", "34", "-5", "99999999999")
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XREVRANGE", "s", "+", "-")
    pair.check("DUMP", "s")


# --- node limits ------------------------------------------------------------------

@pytest.fixture
def node_limits(pair):
    saved = {}

    def set_limit(name, value):
        if name not in saved:
            saved[name] = parse(pair.real.call("CONFIG", "GET", name))[1]
        pair.check("CONFIG", "SET", name, str(value))
    yield set_limit
    for name, value in saved.items():
        pair.both("CONFIG", "SET", name, value)


def test_node_max_entries_splits_nodes(pair, node_limits):
    node_limits("stream-node-max-entries", 3)
    fill(pair, n=10)
    pair.check("XINFO", "STREAM", "s")
    pair.check("DUMP", "s")
    pair.check("XREVRANGE", "s", "+", "-", "COUNT", "4")
    pair.check("XRANGE", "s", "3-1", "8-1")


def test_node_max_bytes_splits_nodes(pair, node_limits):
    node_limits("stream-node-max-bytes", 100)
    for i in range(1, 20):
        pair.check("XADD", "s", "%d-0" % i, "field", "x" * (i * 7))
    pair.check("XINFO", "STREAM", "s")
    pair.check("DUMP", "s")
    node_limits("stream-node-max-bytes", 0)
    node_limits("stream-node-max-entries", 0)
    for i in range(20, 30):
        pair.check("XADD", "s", "%d-0" % i, "field", "y")
    pair.check("XINFO", "STREAM", "s")


def test_config_get_node_limits(pair):
    pair.check_unordered("CONFIG", "GET", "stream-node-*")
    pair.check("CONFIG", "GET", "stream-node-max-bytes")
    pair.check("CONFIG", "GET", "stream-node-max-entries")


def test_node_max_bytes_takes_memory_units(pair, node_limits):
    node_limits("stream-node-max-bytes", "1kb")
    pair.check("CONFIG", "GET", "stream-node-max-bytes")
    for i in range(1, 40):
        pair.check("XADD", "s", "%d-0" % i, "f", "x" * 60)
    pair.check("XINFO", "STREAM", "s")
    pair.check("CONFIG", "SET", "stream-node-max-entries", "-1")
    pair.check("CONFIG", "SET", "stream-node-max-bytes", "-1")


# --- XRANGE XREVRANGE -------------------------------------------------------------

def test_xrange_bounds(pair):
    fill(pair, n=8)
    for a, b in (("-", "+"), ("2", "5"), ("2-1", "5-0"), ("(2-1", "(5-1"), ("(2", "+"),
                 ("3", "3"), ("5", "2"), ("-", "(1-1"), ("(+", "+"), ("-", "(-"),
                 ("(18446744073709551615-18446744073709551615", "+"), ("-", "(0-0"),
                 ("(", "+"), ("x", "+"), ("-", "y"), ("((1", "+")):
        pair.check("XRANGE", "s", a, b)
        pair.check("XREVRANGE", "s", b, a)


def test_xrange_count(pair):
    fill(pair, n=8)
    for n in ("0", "1", "3", "100", "-1", "x"):
        pair.check("XRANGE", "s", "-", "+", "COUNT", n)
        pair.check("XREVRANGE", "s", "+", "-", "COUNT", n)
    pair.check("XRANGE", "s", "-", "+", "COUNT")
    pair.check("XRANGE", "s", "-", "+", "LIMIT", "1")
    pair.check("XRANGE", "missing", "-", "+")
    pair.check("XRANGE", "missing", "-", "+", "COUNT", "0")
    pair.check("XREVRANGE", "missing", "+", "-")


def test_xrange_resp3(pair):
    resp3(pair)
    fill(pair, n=3)
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XRANGE", "s", "-", "+", "COUNT", "0")


# --- XLEN XDEL XTRIM --------------------------------------------------------------

def test_xdel(pair):
    fill(pair, n=6)
    pair.check("XDEL", "s", "2-1", "4-1", "9-9")
    pair.check("XDEL", "s", "2-1")
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XDEL", "s", "1-1")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XDEL", "s", "3-1", "5-1", "6-1")
    pair.check("XINFO", "STREAM", "s")
    pair.check("EXISTS", "s")
    pair.check("XDEL", "s", "bad")
    pair.check("XDEL", "s", "1-1", "+")
    pair.check("XDEL", "missing", "1-1")
    pair.check("XDEL", "missing", "x")


def test_xdel_whole_node_and_dump(pair, node_limits):
    node_limits("stream-node-max-entries", 2)
    fill(pair, n=6)
    pair.check("XDEL", "s", "3-1", "4-1")
    pair.check("XDEL", "s", "5-1")
    pair.check("XINFO", "STREAM", "s")
    pair.check("DUMP", "s")
    pair.check("XREVRANGE", "s", "+", "-")


def test_xtrim(pair):
    fill(pair, n=10)
    pair.check("XTRIM", "s", "MAXLEN", "8")
    pair.check("XTRIM", "s", "MAXLEN", "=", "6")
    pair.check("XTRIM", "s", "MINID", "7")
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XTRIM", "s", "MAXLEN", "0")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XTRIM", "missing", "MAXLEN", "0")


def test_xtrim_errors(pair):
    fill(pair, n=3)
    pair.check("XTRIM", "s")
    pair.check("XTRIM", "s", "FOO")
    pair.check("XTRIM", "s", "MAXLEN", "1", "LIMIT", "1")
    pair.check("XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "1")
    pair.check("XTRIM", "s", "LIMIT", "1")
    pair.check("XTRIM", "s", "MAXLEN", "1", "MINID", "1")
    pair.check("XTRIM", "s", "MAXLEN", "-5")
    pair.check("XTRIM", "s", "NOMKSTREAM", "MAXLEN", "1")
    pair.check("XTRIM", "missing", "FOO")
    pair.check("XTRIM", "missing", "MAXLEN", "x")


def test_xtrim_approx_with_limit(pair, node_limits):
    node_limits("stream-node-max-entries", 10)
    fill(pair, n=95)
    pair.check("XTRIM", "s", "MAXLEN", "~", "10", "LIMIT", "30")
    pair.check("XLEN", "s")
    pair.check("XTRIM", "s", "MAXLEN", "~", "10")
    pair.check("XLEN", "s")
    pair.check("XTRIM", "s", "MINID", "~", "93", "LIMIT", "0")
    pair.check("XINFO", "STREAM", "s")


# --- XSETID -------------------------------------------------------------------------

def test_xsetid(pair):
    pair.check("XSETID", "s", "5-5")
    fill(pair, n=3)
    pair.check("XSETID", "s", "2-1")
    pair.check("XSETID", "s", "3-1")
    pair.check("XSETID", "s", "100-0", "ENTRIESADDED", "2")
    pair.check("XSETID", "s", "100-0", "ENTRIESADDED", "-1")
    pair.check("XSETID", "s", "100-0", "ENTRIESADDED", "50", "MAXDELETEDID", "101-0")
    pair.check("XSETID", "s", "100-0", "ENTRIESADDED", "50", "MAXDELETEDID", "10-0")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XSETID", "s", "5-0")
    pair.check("XSETID", "s", "100-0", "FOO")
    pair.check("XSETID", "s", "bad")
    pair.check("XSETID", "s", "100-0", "ENTRIESADDED")
    pair.check("XADD", "s", "100-0", "a", "1")
    pair.check("XADD", "s", "100-*", "a", "1")
    pair.check("SET", "k", "v")
    pair.check("XSETID", "k", "1-1")


# --- XINFO --------------------------------------------------------------------------

def test_xinfo_stream_empty_and_errors(pair):
    pair.check("XINFO", "STREAM", "missing")
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XINFO", "STREAM", "s", "FULL")
    pair.check("XINFO", "STREAM", "s", "FOO")
    pair.check("XINFO", "STREAM", "s", "FULL", "COUNT")
    pair.check("XINFO", "STREAM", "s", "FULL", "COUNT", "x")
    pair.check("XINFO", "FOO", "s")
    pair.check("XINFO", "HELP")
    pair.check("XINFO")
    pair.check("XINFO", "GROUPS")
    pair.check("XINFO", "CONSUMERS", "s", "nogroup")


def test_xinfo_stream_full_with_groups(pair):
    fill(pair, n=15)
    pair.check("XGROUP", "CREATE", "s", "g1", "0")
    pair.check("XGROUP", "CREATE", "s", "g0", "$")
    check_masked(pair, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "12", "STREAMS", "s", ">")
    check_masked(pair, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "s", ">")
    check_masked(pair, "XINFO", "STREAM", "s", "FULL")
    check_masked(pair, "XINFO", "STREAM", "s", "FULL", "COUNT", "3")
    check_masked(pair, "XINFO", "STREAM", "s", "FULL", "COUNT", "0")
    check_masked(pair, "XINFO", "GROUPS", "s")
    check_masked(pair, "XINFO", "CONSUMERS", "s", "g1")
    resp3(pair)
    check_masked(pair, "XINFO", "STREAM", "s")
    check_masked(pair, "XINFO", "STREAM", "s", "FULL")
    check_masked(pair, "XINFO", "GROUPS", "s")
    check_masked(pair, "XINFO", "CONSUMERS", "s", "g1")


def test_xinfo_groups_lag_and_entries_read(pair):
    fill(pair, n=5)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    pair.check("XGROUP", "CREATE", "s", "h", "$")
    pair.check("XGROUP", "CREATE", "s", "e", "0", "ENTRIESREAD", "2")
    pair.check("XINFO", "GROUPS", "s")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XDEL", "s", "4-1")
    pair.check("XINFO", "GROUPS", "s")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XDEL", "s", "1-1")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XADD", "s", "9-1", "a", "b")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XGROUP", "SETID", "s", "h", "0")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XGROUP", "SETID", "s", "h", "3-1", "ENTRIESREAD", "3")
    pair.check("XINFO", "GROUPS", "s")


# --- XGROUP -------------------------------------------------------------------------

def test_xgroup_create_errors(pair):
    pair.check("XGROUP", "CREATE", "s", "g", "$")
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    pair.check("XGROUP", "CREATE", "s", "g2", "bad")
    pair.check("XGROUP", "CREATE", "s", "g2", "-")
    pair.check("XGROUP", "CREATE", "s", "g2", "0", "FOO")
    pair.check("XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD", "-2")
    pair.check("XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD", "x")
    pair.check("XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD")
    pair.check("XGROUP", "CREATE", "s")
    pair.check("XGROUP", "CREATE", "s", "g3", "0", "MKSTREAM", "ENTRIESREAD", "5", "MKSTREAM")
    pair.check("XGROUP", "CREATE", "s", "g4", "0", "MKSTREAM", "ENTRIESREAD", "5", "MKSTREAM", "x")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("SET", "k", "v")
    pair.check("XGROUP", "CREATE", "k", "g", "$")
    pair.check("XGROUP", "CREATE", "missing2", "g", "bad", "MKSTREAM")
    pair.check("EXISTS", "missing2")


def test_xgroup_subcommands(pair):
    fill(pair, n=4)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    pair.check("XGROUP", "CREATECONSUMER", "s", "g", "c1")
    pair.check("XGROUP", "CREATECONSUMER", "s", "g", "c1")
    pair.check("XGROUP", "CREATECONSUMER", "s", "nog", "c1")
    pair.check("XGROUP", "CREATECONSUMER", "missing", "g", "c1")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">")
    pair.check("XGROUP", "DELCONSUMER", "s", "g", "c2")
    pair.check("XGROUP", "DELCONSUMER", "s", "g", "c2")
    pair.check("XGROUP", "DELCONSUMER", "s", "nog", "c2")
    pair.check("XPENDING", "s", "g")
    pair.check("XGROUP", "SETID", "s", "g", "$")
    pair.check("XGROUP", "SETID", "s", "g", "-")
    pair.check("XGROUP", "SETID", "s", "g", "2-1", "ENTRIESREAD", "2")
    pair.check("XGROUP", "SETID", "s", "g", "2-1", "ENTRIESREAD")
    pair.check("XGROUP", "SETID", "s", "g", "2-1", "FOO", "1")
    pair.check("XGROUP", "SETID", "s", "g", "2-1", "MKSTREAM")
    pair.check("XGROUP", "SETID", "s", "nog", "0")
    pair.check("XGROUP", "SETID", "s", "g", "x")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XGROUP", "DESTROY", "s", "g")
    pair.check("XGROUP", "DESTROY", "s", "g")
    pair.check("XGROUP", "DESTROY", "missing", "g")
    pair.check("XGROUP", "HELP")
    pair.check("XGROUP", "FOO")
    pair.check("XGROUP", "FOO", "s", "g", "x")
    pair.check("XGROUP", "DESTROY", "s")
    pair.check("XGROUP", "DESTROY", "s", "g", "x")
    pair.check("XGROUP")


def test_xgroup_ordering_of_groups_and_consumers(pair):
    pair.check("XGROUP", "CREATE", "s", "b", "$", "MKSTREAM")
    for g in ("ab", "a", "c", "B", "aa"):
        pair.check("XGROUP", "CREATE", "s", g, "$")
        for cn in ("zz", "z", "y", "Z", "za"):
            pair.check("XGROUP", "CREATECONSUMER", "s", g, cn)
    pair.check("XINFO", "GROUPS", "s")
    check_masked(pair, "XINFO", "CONSUMERS", "s", "a")
    check_masked(pair, "XINFO", "STREAM", "s", "FULL")


# --- XREADGROUP / XACK / XPENDING --------------------------------------------------------

def test_xreadgroup_new_and_history(pair):
    fill(pair, n=6)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "s", ">")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "b", "COUNT", "3", "STREAMS", "s", ">")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "COUNT", "1", "STREAMS", "s", "1-1")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "nobody", "STREAMS", "s", "0")
    pair.check("XDEL", "s", "4-1")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", "0")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    pair.check("XACK", "s", "g", "1-1", "4-1", "9-9")
    pair.check("XACK", "s", "g", "1-1")
    check_masked(pair, "XPENDING", "s", "g")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", ">")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", ">")
    check_masked(pair, "XINFO", "STREAM", "s", "FULL")


def test_xreadgroup_noack(pair):
    fill(pair, n=3)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "NOACK", "STREAMS", "s", ">")
    pair.check("XPENDING", "s", "g")
    check_masked(pair, "XINFO", "CONSUMERS", "s", "g")


def test_xreadgroup_reassigns_after_setid(pair):
    fill(pair, n=3)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    pair.check("XGROUP", "SETID", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "b", "COUNT", "2", "STREAMS", "s", ">")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    check_masked(pair, "XPENDING", "s", "g")


def test_xreadgroup_multiple_streams(pair):
    fill(pair, "s1", n=3)
    fill(pair, "s2", n=2, start=5)
    pair.check("XGROUP", "CREATE", "s1", "g", "0")
    pair.check("XGROUP", "CREATE", "s2", "g", "$")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s1", "s2", ">", ">")
    pair.check("XADD", "s2", "9-1", "x", "y")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s1", "s2", ">", ">")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s1", "s2", "0", ">")
    resp3(pair)
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s1", "s2", "0", "0")


def test_xreadgroup_errors(pair):
    fill(pair, n=2)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    pair.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "$")
    pair.check("XREADGROUP", "GROUP", "nog", "a", "STREAMS", "s", ">")
    pair.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "missing", ">")
    pair.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "s", ">")
    pair.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "bad")
    pair.check("XREADGROUP", "COUNT", "x", "GROUP", "g", "a", "STREAMS", "s", ">")
    pair.check("XREADGROUP", "GROUP", "g", "a", "FOO", "STREAMS", "s", ">")
    pair.check("XREADGROUP", "STREAMS", "s", ">", "x", "y")
    pair.check("XREADGROUP", "GROUP", "g", "a", "BLOCK", "-1", "STREAMS", "s", ">")
    pair.check("XREADGROUP", "GROUP", "g", "a", "BLOCK", "x", "STREAMS", "s", ">")
    pair.check("SET", "k", "v")
    pair.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "k", ">")


def test_xread(pair):
    fill(pair, "s1", n=4)
    fill(pair, "s2", n=2)
    pair.check("XREAD", "STREAMS", "s1", "0")
    pair.check("XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "1-1", "0")
    pair.check("XREAD", "STREAMS", "s1", "$")
    pair.check("XREAD", "STREAMS", "s1", "s2", "4-1", "2-1")
    pair.check("XREAD", "STREAMS", "missing", "0")
    pair.check("XREAD", "COUNT", "0", "STREAMS", "s1", "2")
    pair.check("XREAD", "COUNT", "-5", "STREAMS", "s1", "2")
    pair.check("XREAD", "BLOCK", "10", "STREAMS", "s1", "$")
    resp3(pair)
    pair.check("XREAD", "STREAMS", "s1", "s2", "0", "0")
    pair.check("XREAD", "STREAMS", "s1", "$")


def test_xread_errors(pair):
    fill(pair, n=2)
    pair.check("XREAD", "STREAMS", "s")
    pair.check("XREAD", "STREAMS", "s", "s", "0")
    pair.check("XREAD", "GROUP", "g", "c", "STREAMS", "s", "0")
    pair.check("XREAD", "NOACK", "STREAMS", "s", "0")
    pair.check("XREAD", "STREAMS", "s", ">")
    pair.check("XREAD", "STREAMS", "s", "bad")
    pair.check("XREAD", "FOO", "STREAMS", "s", "0")
    pair.check("XREAD", "COUNT", "1", "BLOCK", "0")
    pair.check("XREAD", "COUNT", "x", "STREAMS", "s", "0")
    pair.check("SET", "k", "v")
    pair.check("XREAD", "STREAMS", "k", "0")


def test_xread_block_inside_multi_replies_null(pair):
    fill(pair, n=1)
    pair.check("MULTI")
    pair.check("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    pair.check("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    pair.check("EXEC")


def test_xread_block_from_script_is_refused(pair):
    fill(pair, n=1)
    pair.check("EVAL", "return redis.call('XREAD','BLOCK','0','STREAMS','s','$')", "0")
    pair.check("EVAL", "return redis.call('XREAD','STREAMS','s','0')", "0")


def test_xack_and_xpending_extended(pair):
    fill(pair, n=6)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "COUNT", "3", "STREAMS", "s", ">")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", ">")
    check_masked(pair, "XPENDING", "s", "g")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10", "b")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10", "nobody")
    check_masked(pair, "XPENDING", "s", "g", "(1-1", "(5-1", "10")
    check_masked(pair, "XPENDING", "s", "g", "2", "3", "1")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "0")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "-1")
    check_masked(pair, "XPENDING", "s", "g", "IDLE", "0", "-", "+", "10")
    pair.check("XPENDING", "s", "g", "IDLE", "100000", "-", "+", "10")
    pair.check("XPENDING", "s", "g", "IDLE", "100000", "-", "+")
    pair.check("XPENDING", "s", "g", "IDLE", "x", "-", "+", "10")
    pair.check("XPENDING", "s", "g", "-", "+")
    pair.check("XPENDING", "s", "g", "-", "+", "x")
    pair.check("XPENDING", "s", "g", "bad", "+", "10")
    pair.check("XPENDING", "s", "g", "(+", "+", "10")
    pair.check("XPENDING", "s", "g", "-", "(-", "10")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10", "a", "extra", "x")
    pair.check("XPENDING", "s", "nog")
    pair.check("XPENDING", "missing", "g")
    pair.check("XACK", "s", "g", "1-1", "bad")
    pair.check("XACK", "s", "nog", "1-1")
    pair.check("XACK", "missing", "g", "1-1")
    pair.check("XACK", "s", "g", "1-1", "2-1", "3-1")
    check_masked(pair, "XPENDING", "s", "g")
    pair.check("SET", "k", "v")
    pair.check("XPENDING", "k", "g")
    pair.check("XACK", "k", "g", "1-1")


# --- XCLAIM / XAUTOCLAIM -----------------------------------------------------------------

def test_xclaim(pair):
    fill(pair, n=5)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    check_masked(pair, "XCLAIM", "s", "g", "b", "0", "1-1", "2-1")
    check_masked(pair, "XCLAIM", "s", "g", "b", "100000", "3-1")
    check_masked(pair, "XCLAIM", "s", "g", "c", "0", "3-1", "JUSTID")
    check_masked(pair, "XCLAIM", "s", "g", "c", "0", "4-1", "RETRYCOUNT", "7", "IDLE", "5000")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    idle = parse(pair.ours.call("XPENDING", "s", "g", "4-1", "4-1", "1"))[0][2]
    assert 5000 <= idle < 6000
    pair.check("XCLAIM", "s", "g", "d", "0", "5-1", "TIME", "1000", "JUSTID")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    check_masked(pair, "XCLAIM", "s", "g", "d", "0", "9-9", "FORCE")
    pair.check("XDEL", "s", "1-1")
    check_masked(pair, "XCLAIM", "s", "g", "d", "0", "1-1", "2-1")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    pair.check("XGROUP", "SETID", "s", "g", "0")
    check_masked(pair, "XCLAIM", "s", "g", "e", "0", "3-1", "FORCE", "LASTID", "4-1")
    pair.check("XINFO", "GROUPS", "s")
    check_masked(pair, "XINFO", "STREAM", "s", "FULL")


def test_xclaim_force_creates_pel_entry(pair):
    fill(pair, n=3)
    pair.check("XGROUP", "CREATE", "s", "g", "$")
    check_masked(pair, "XCLAIM", "s", "g", "a", "0", "2-1", "FORCE")
    check_masked(pair, "XCLAIM", "s", "g", "a", "0", "3-1", "FORCE", "JUSTID", "RETRYCOUNT", "5")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    pair.check("XCLAIM", "s", "g", "a", "0", "1-1")


def test_xclaim_errors(pair):
    fill(pair, n=2)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    pair.check("XCLAIM", "s", "g", "a", "x", "1-1")
    pair.check("XCLAIM", "s", "g", "a", "-5", "1-1")
    pair.check("XCLAIM", "s", "g", "a", "0", "1-1", "IDLE", "x")
    pair.check("XCLAIM", "s", "g", "a", "0", "1-1", "TIME", "x")
    pair.check("XCLAIM", "s", "g", "a", "0", "1-1", "RETRYCOUNT", "x")
    pair.check("XCLAIM", "s", "g", "a", "0", "1-1", "LASTID", "x")
    pair.check("XCLAIM", "s", "g", "a", "0", "1-1", "FOO")
    pair.check("XCLAIM", "s", "g", "a", "0", "1-1", "IDLE")
    pair.check("XCLAIM", "s", "g", "a", "0", "bad")
    pair.check("XCLAIM", "s", "nog", "a", "0", "1-1")
    pair.check("XCLAIM", "missing", "g", "a", "0", "1-1")
    pair.check("SET", "k", "v")
    pair.check("XCLAIM", "k", "g", "a", "0", "1-1")


def test_xautoclaim(pair):
    fill(pair, n=8)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "0", "0", "COUNT", "3")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "0", "4-1", "COUNT", "2", "JUSTID")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "c", "100000", "0")
    pair.check("XDEL", "s", "2-1", "7-1")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "3")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "c", "0", "(1-1")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    check_masked(pair, "XINFO", "CONSUMERS", "s", "g")


def test_xautoclaim_errors(pair):
    fill(pair, n=2)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    pair.check("XAUTOCLAIM", "s", "g", "a", "x", "0")
    pair.check("XAUTOCLAIM", "s", "g", "a", "0", "bad")
    pair.check("XAUTOCLAIM", "s", "g", "a", "0", "(+")
    pair.check("XAUTOCLAIM", "s", "g", "a", "0", "0", "COUNT", "0")
    pair.check("XAUTOCLAIM", "s", "g", "a", "0", "0", "COUNT", "x")
    pair.check("XAUTOCLAIM", "s", "g", "a", "0", "0", "COUNT", "9223372036854775807")
    pair.check("XAUTOCLAIM", "s", "g", "a", "0", "0", "FOO")
    pair.check("XAUTOCLAIM", "s", "nog", "a", "0", "0")
    pair.check("XAUTOCLAIM", "missing", "g", "a", "0", "0")
    pair.check("XAUTOCLAIM", "s", "g", "a", "0", "0")


# --- the type in the rest of the server -----------------------------------------------

def test_type_encoding_scan_and_copy(pair):
    fill(pair, n=3)
    pair.check("TYPE", "s")
    pair.check("OBJECT", "ENCODING", "s")
    pair.check("SCAN", "0", "TYPE", "stream")
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    pair.check("COPY", "s", "s2")
    check_masked(pair, "XINFO", "STREAM", "s2", "FULL")
    pair.check("XADD", "s2", "9-9", "a", "b")
    pair.check("XLEN", "s")
    pair.check("RENAME", "s2", "s3")
    pair.check("XLEN", "s3")


def test_dump_restore_roundtrip(pair):
    fill(pair, n=7)
    pair.check("XDEL", "s", "3-1")
    pair.check("XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "1")
    pair.check("XCLAIM", "s", "g", "a", "0", "2-1", "FORCE", "TIME", "1700000000000", "RETRYCOUNT", "3")
    pair.check("XGROUP", "CREATECONSUMER", "s", "g", "idle")
    a, b = pair.both("DUMP", "s")
    # the consumers' seen times make the payloads differ in those bytes only
    assert len(a) == len(b)
    pair.real.call("RESTORE", "r", "0", parse(b))
    pair.ours.call("RESTORE", "r", "0", parse(a))
    pair.check("XRANGE", "r", "-", "+")
    check_masked(pair, "XINFO", "STREAM", "r", "FULL")
    pair.check("XINFO", "STREAM", "r")


def test_dump_identical_without_groups(pair):
    fill(pair, n=30)
    pair.check("XDEL", "s", "3-1", "30-1")
    pair.check("XSETID", "s", "50-0", "ENTRIESADDED", "60", "MAXDELETEDID", "40-0")
    pair.check("DUMP", "s")
    raw = parse(pair.real.call("DUMP", "s"))
    pair.check("RESTORE", "t", "0", raw)
    pair.check("XINFO", "STREAM", "t")


def test_memory_usage_counts_entries_and_groups(pair):
    """Sizes are this server's own allocations (not Redis's figure): at
    least the entries' bytes, growing with entries and with PELs."""
    for i in range(1, 51):
        pair.ours.call("XADD", "s", "%d-1" % i, "field", "x" * 100)
    small = parse(pair.ours.call("MEMORY", "USAGE", "s"))
    assert small >= 50 * 100
    for i in range(51, 501):
        pair.ours.call("XADD", "s", "%d-1" % i, "field", "x" * 100)
    big = parse(pair.ours.call("MEMORY", "USAGE", "s", "SAMPLES", "0"))
    assert big >= 500 * 100 and big > 5 * small
    pair.ours.call("XGROUP", "CREATE", "s", "g", "0")
    pair.ours.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    assert parse(pair.ours.call("MEMORY", "USAGE", "s", "SAMPLES", "0")) > big + 500 * 16


def test_keyspace_notifications(pair):
    saved = parse(pair.real.call("CONFIG", "GET", "notify-keyspace-events"))[1]
    pair.check("CONFIG", "SET", "notify-keyspace-events", "KEA")
    subs = pair.connect()
    try:
        subs.check("PSUBSCRIBE", "__key*__:*")
        fill(pair, n=3)
        pair.check("XADD", "s", "MAXLEN", "2", "4-1", "a", "b")
        pair.check("XDEL", "s", "4-1")
        pair.check("XTRIM", "s", "MAXLEN", "1")
        pair.check("XGROUP", "CREATE", "s", "g", "0")
        pair.check("XGROUP", "CREATECONSUMER", "s", "g", "c")
        check_masked(pair, "XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", ">")
        check_masked(pair, "XCLAIM", "s", "g", "e", "0", "3-1")
        pair.check("XGROUP", "SETID", "s", "g", "0")
        pair.check("XGROUP", "DELCONSUMER", "s", "g", "c")
        pair.check("XGROUP", "DESTROY", "s", "g")
        pair.check("XSETID", "s", "10-0")
        pair.check("XGROUP", "CREATE", "n", "g", "$", "MKSTREAM")
        pair.check("DEL", "s", "n")
        pair.check("PING")
        for _ in range(40):
            a, b = subs.real.read_reply(), subs.ours.read_reply()
            assert a == b
            if parse(a)[3] == b"n" and parse(a)[2].endswith(b"del"):
                break
        else:
            pytest.fail("no del event")
    finally:
        subs.close()
        pair.check("CONFIG", "SET", "notify-keyspace-events", saved)


def test_command_info_and_docs(pair):
    for name in ("xadd", "xrange", "xrevrange", "xlen", "xdel", "xtrim", "xread", "xreadgroup",
                 "xack", "xpending", "xclaim", "xautoclaim", "xsetid"):
        pair.check("COMMAND", "INFO", name)
    # Redis lists subcommands in its dict's (seeded) order
    pair.check_unordered("COMMAND", "INFO", "xgroup", "xinfo")
    resp3(pair)
    for name in ("xadd", "xread", "xreadgroup", "xclaim", "xpending", "xautoclaim", "xsetid"):
        pair.check("COMMAND", "DOCS", name)
    pair.check_unordered("COMMAND", "DOCS", "xgroup", "xinfo")
    pair.check("COMMAND", "GETKEYS", "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0")
    pair.check("COMMAND", "GETKEYS", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", ">")


# --- more edges ------------------------------------------------------------------------

def test_large_values_and_many_fields(pair):
    pair.check("XADD", "s", "1-1", "f", "x" * 70, "g", "y" * 5000)
    pair.check("XADD", "s", "2-1", "f", "x" * 70, "g", "y" * 5000)
    pair.check("XADD", "s", "3-1", *[str(i) for i in range(200)])
    pair.check("XADD", "s", "4-1", "f", "-12", "g", "9223372036854775807")
    pair.check("XADD", "s", "5-1", "f", "-9223372036854775809", "g", "1.5")
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XINFO", "STREAM", "s")
    pair.check("DUMP", "s")


def test_reverse_ranges_skip_deleted_entries_across_nodes(pair, node_limits):
    node_limits("stream-node-max-entries", 4)
    fill(pair, n=20)
    pair.check("XDEL", "s", "4-1", "5-1", "8-1", "9-1", "12-1", "20-1")
    for count in ("1", "3", "7", "100"):
        pair.check("XREVRANGE", "s", "+", "-", "COUNT", count)
        pair.check("XREVRANGE", "s", "(13-1", "(2", "COUNT", count)
        pair.check("XRANGE", "s", "(4-1", "19", "COUNT", count)
    pair.check("XREAD", "COUNT", "3", "STREAMS", "s", "7-1")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XTRIM", "s", "MINID", "10")
    pair.check("XINFO", "STREAM", "s")
    pair.check("DUMP", "s")


def test_xclaim_times_and_idle_bounds(pair):
    fill(pair, n=3)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    check_masked(pair, "XCLAIM", "s", "g", "b", "0", "1-1", "IDLE", "-100", "JUSTID")
    check_masked(pair, "XCLAIM", "s", "g", "b", "0", "2-1", "TIME", "99999999999999", "JUSTID")
    check_masked(pair, "XCLAIM", "s", "g", "b", "0", "3-1", "TIME", "-5", "JUSTID")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    check_masked(pair, "XPENDING", "s", "g", "IDLE", "0", "-", "+", "10", "b")
    check_masked(pair, "XCLAIM", "s", "g", "c", "0", "1-1", "2-1", "9-9", "3-1", "RETRYCOUNT", "0")
    check_masked(pair, "XINFO", "CONSUMERS", "s", "g")


def test_xautoclaim_cursor_and_attempts(pair):
    fill(pair, n=30)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "0", "0", "COUNT", "1")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "100000", "0", "COUNT", "2")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "0", "29-1", "COUNT", "5")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "0", "30-1", "COUNT", "5")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "0", "31", "COUNT", "5")
    pair.check("XDEL", "s", *["%d-1" % i for i in range(3, 20)])
    check_masked(pair, "XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "4")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "100", "JUSTID")
    check_masked(pair, "XPENDING", "s", "g")


def test_empty_stream_lifecycle(pair):
    pair.check("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    pair.check("XLEN", "s")
    pair.check("XRANGE", "s", "-", "+")
    pair.check("XREVRANGE", "s", "+", "-")
    pair.check("XREAD", "STREAMS", "s", "0")
    pair.check("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    pair.check("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0")
    pair.check("XSETID", "s", "5-5", "ENTRIESADDED", "3", "MAXDELETEDID", "5-0")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XADD", "s", "5-5", "a", "b")
    pair.check("XADD", "s", "5-*", "a", "b")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XTRIM", "s", "MAXLEN", "0")
    pair.check("XINFO", "STREAM", "s")
    pair.check("XINFO", "GROUPS", "s")
    a, b = pair.both("DUMP", "s")      # a consumer's seen time differs inside
    assert len(a) == len(b)
    pair.check("XAUTOCLAIM", "s", "g", "c", "0", "0")
    pair.check("TYPE", "s")


def test_xreadgroup_history_of_deleted_entries_and_counts(pair):
    fill(pair, n=4)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    pair.check("XDEL", "s", "2-1", "3-1")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "s", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "2-1")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    resp3(pair)
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "0")


def test_xinfo_lag_after_trims_and_setid(pair):
    fill(pair, n=10)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    pair.check("XGROUP", "CREATE", "s", "h", "4-1")
    pair.check("XGROUP", "CREATE", "s", "k", "$", "ENTRIESREAD", "10")
    pair.check("XTRIM", "s", "MAXLEN", "5")
    pair.check("XINFO", "GROUPS", "s")
    check_masked(pair, "XREADGROUP", "GROUP", "h", "c", "COUNT", "2", "STREAMS", "s", ">")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XDEL", "s", "9-1")
    pair.check("XINFO", "GROUPS", "s")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XSETID", "s", "10-1", "ENTRIESADDED", "20")
    pair.check("XINFO", "GROUPS", "s")
    pair.check("XGROUP", "SETID", "s", "k", "7-1", "ENTRIESREAD", "-1")
    pair.check("XINFO", "GROUPS", "s")


def test_xinfo_full_count_forms(pair):
    fill(pair, n=15)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    for n in ("-1", "0", "1", "12", "100"):
        check_masked(pair, "XINFO", "STREAM", "s", "FULL", "COUNT", n)
    pair.check("XINFO", "STREAM", "s", "FULL", "LIMIT", "1")
    pair.check("XINFO", "STREAM", "s", "FULL", "COUNT", "1", "x")


def test_option_order_and_case(pair):
    pair.check("xadd", "s", "nomkstream", "maxlen", "5", "1-1", "a", "b")
    pair.check("XADD", "s", "MaxLen", "=", "5", "LiMiT", "0", "1-1", "a", "b")
    pair.check("XADD", "s", "maxlen", "~", "5", "limit", "10", "nomkstream", "2-1", "a", "b")
    pair.check("XADD", "s", "minid", "~", "1", "maxlen", "5", "3-1", "a", "b")
    pair.check("XADD", "s", "4-1", "MAXLEN", "5")
    pair.check("XRANGE", "s", "-", "+", "count", "1")
    pair.check("XREAD", "count", "1", "count", "2", "streams", "s", "0")
    pair.check("XREAD", "STREAMS", "s", "STREAMS", "0", "0")
    pair.check("XGROUP", "create", "s", "g", "0", "mkstream")
    check_masked(pair, "xreadgroup", "group", "g", "c", "count", "1", "noack", "streams", "s", ">")
    check_masked(pair, "XPENDING", "s", "g", "idle", "0", "-", "+", "5")


@pytest.mark.parametrize("cmd", [
    ("XADD", "s", "9-1", "a", "b"), ("XDEL", "s", "1-1"), ("XTRIM", "s", "MAXLEN", "1"),
    ("XSETID", "s", "99-0"), ("XGROUP", "CREATE", "s", "g2", "0"),
    ("XGROUP", "SETID", "s", "g", "0"), ("XGROUP", "DESTROY", "s", "g"),
    ("XGROUP", "CREATECONSUMER", "s", "g", "new"), ("XGROUP", "DELCONSUMER", "s", "g", "c"),
    ("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"), ("XACK", "s", "g", "1-1"),
    ("XCLAIM", "s", "g", "x", "0", "1-1"), ("XAUTOCLAIM", "s", "g", "x", "0", "0"),
    ("XGROUP", "CREATE", "n", "g", "$", "MKSTREAM"),
])
def test_watch_sees_stream_writes_as_redis(pair, cmd):
    fill(pair, n=3)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">")
    other = pair.connect()
    try:
        other.check("WATCH", "s", "n")
        check_masked(pair, *cmd)
        other.check("MULTI")
        other.check("PING")
        other.check("EXEC")
    finally:
        other.close()


def test_group_commands_in_resp3(pair):
    resp3(pair)
    fill(pair, n=5)
    pair.check("XGROUP", "CREATE", "s", "g", "0")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "s", ">")
    check_masked(pair, "XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "9")
    pair.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    pair.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    check_masked(pair, "XPENDING", "s", "g")
    check_masked(pair, "XPENDING", "s", "g", "-", "+", "10")
    check_masked(pair, "XCLAIM", "s", "g", "b", "0", "1-1", "9-9")
    check_masked(pair, "XAUTOCLAIM", "s", "g", "b", "0", "0")
    pair.check("XGROUP", "CREATE", "e", "g", "$", "MKSTREAM")
    pair.check("XPENDING", "e", "g")
    pair.check("XAUTOCLAIM", "e", "g", "b", "0", "0")
    pair.check("XINFO", "STREAM", "e", "FULL")
    pair.check("XREAD", "STREAMS", "e", "s", "0", "4-1")
    pair.check("XREVRANGE", "s", "+", "-", "COUNT", "0")
