"""Differential tests for HyperLogLog (t_hll.pyx, csrc/hyperloglog.c): the
stored strings must be byte-identical to Redis's through sparse
encoding, promotion and dense encoding; counts, merges, PFDEBUG and the
errors for wrong and corrupt values must match."""
import re

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from test_notify import notify  # noqa: F401  (fixture)

CHECKPOINTS = [1, 2, 10, 100, 500, 1000, 2000, 3000, 5000, 10000, 30000, 100000]


def _add_range(pair, key, lo, hi, batch=500, prefix="e"):
    for start in range(lo, hi, batch):
        pair.check("PFADD", key, *["%s%d" % (prefix, i) for i in range(start, min(hi, start + batch))])


def test_hll_bytes_identical_from_1_to_100000(pair):
    done = 0
    for n in CHECKPOINTS:
        _add_range(pair, "h", done, n)
        done = n
        pair.check("GET", "h")
        pair.check("PFCOUNT", "h")
        pair.check("GET", "h")
        pair.check("PFDEBUG", "ENCODING", "h")


def test_hll_one_at_a_time_through_promotion(pair):
    for i in range(1500):
        pair.check("PFADD", "h", "x%d" % i)
        if i % 50 == 0:
            pair.check("GET", "h")
    pair.check("PFDEBUG", "ENCODING", "h")
    pair.check("GET", "h")


def test_pfadd_replies_and_new_key(pair):
    pair.check("PFADD", "h")
    pair.check("GET", "h")
    pair.check("PFADD", "h")
    pair.check("PFADD", "h", "a", "b")
    pair.check("PFADD", "h", "a")
    pair.check("PFADD", "h2", "a")
    pair.check("GET", "h2")


def test_binary_and_long_elements(pair):
    pair.check("PFADD", "h", b"", b"\x00", b"\xff\r\n", "x" * 1000, "abcdefg", "abcdefgh", "abcdefghi")
    pair.check("GET", "h")
    pair.check("PFCOUNT", "h")


def test_pfcount_missing_and_cache(pair):
    pair.check("PFCOUNT", "nope")
    pair.check("PFADD", "h", "a", "b", "c")
    pair.check("GET", "h")
    pair.check("PFCOUNT", "h")
    pair.check("GET", "h")
    pair.check("PFADD", "h", "a")
    pair.check("GET", "h")
    pair.check("PFADD", "h", "d")
    pair.check("GET", "h")


def test_pfcount_several_keys(pair):
    _add_range(pair, "a", 0, 2000, prefix="a")
    _add_range(pair, "b", 1000, 50000, prefix="a")
    pair.check("PFADD", "c", "x", "y")
    pair.check("PFCOUNT", "a", "b", "c", "missing")
    pair.check("PFCOUNT", "a", "c")
    pair.check("PFCOUNT", "missing", "missing2")
    pair.check("GET", "a")


def test_pfmerge(pair):
    _add_range(pair, "a", 0, 300, prefix="m")
    _add_range(pair, "b", 200, 600, prefix="m")
    pair.check("PFMERGE", "d", "a", "b")
    pair.check("GET", "d")
    pair.check("PFCOUNT", "d")
    _add_range(pair, "big", 0, 20000, prefix="m")
    pair.check("PFMERGE", "d", "big")
    pair.check("GET", "d")
    pair.check("PFMERGE", "a", "missing")
    pair.check("GET", "a")
    pair.check("PFMERGE", "new")
    pair.check("GET", "new")
    pair.check("PFMERGE", "new2", "missing")
    pair.check("GET", "new2")


def test_pfmerge_sparse_sources_into_sparse(pair):
    pair.check("PFADD", "a", "1", "2", "3")
    pair.check("PFADD", "b", "4", "5")
    pair.check("PFMERGE", "a", "b")
    pair.check("GET", "a")


def test_restore_and_set_roundtrip(pair):
    _add_range(pair, "h", 0, 400)
    raw = pair.real.call("GET", "h")
    value = raw.split(b"\r\n", 1)[1][:-2]
    pair.check("SET", "copy", value)
    pair.check("PFADD", "copy", "more")
    pair.check("GET", "copy")
    pair.check("PFCOUNT", "copy", "h")


def test_wrong_types(pair):
    pair.check("LPUSH", "l", "a")
    pair.check("SET", "s", "not an hll")
    pair.check("SET", "i", "12345")
    pair.check("SET", "short", "HYLL")
    pair.check("SET", "badenc", b"HYLL\x02" + b"\x00" * 20)
    pair.check("SET", "baddense", b"HYLL\x00" + b"\x00" * 20)
    for key in ["l", "s", "i", "short", "badenc", "baddense"]:
        pair.check("PFADD", key, "x")
        pair.check("PFCOUNT", key)
        pair.check("PFCOUNT", key, "other")
        pair.check("PFMERGE", "d", key)
        pair.check("PFMERGE", key)
        pair.check("PFDEBUG", "GETREG", key)


def test_corrupt_sparse_values(pair):
    header = b"HYLL\x01\x00\x00\x00" + b"\x00" * 7 + b"\x80"
    for body in [b"\x7f\xff\x7f\xff", b"\x40\x00", b"\xff\xff\xff", b"\x00", b"\x7f\xfe\xfc"]:
        pair.check("SET", "c", header + body)
        pair.check("PFCOUNT", "c")
        pair.check("PFCOUNT", "c", "c")
        pair.check("PFADD", "c", "a", "b", "c")
        pair.check("PFMERGE", "d", "c")
        pair.check("PFDEBUG", "TODENSE", "c")
        pair.check("PFDEBUG", "DECODE", "c")


def test_pfdebug(pair):
    pair.check("PFDEBUG", "ENCODING", "nope")
    pair.check("PFADD", "h", "a", "b", "c", "d", "e")
    pair.check("PFDEBUG", "DECODE", "h")
    pair.check("PFDEBUG", "ENCODING", "h")
    pair.check("PFDEBUG", "FOO", "h")
    pair.check("PFDEBUG", "GETREG", "h")
    pair.check("PFDEBUG", "ENCODING", "h")
    pair.check("PFDEBUG", "DECODE", "h")
    pair.check("PFDEBUG", "TODENSE", "h")
    pair.check("PFADD", "h2", "a")
    pair.check("PFDEBUG", "TODENSE", "h2")
    pair.check("GET", "h2")


def test_pfselftest(pair):
    pair.check("PFSELFTEST")


def test_sparse_max_bytes_config(pair):
    pair.check("CONFIG", "SET", "hll-sparse-max-bytes", "200")
    try:
        for i in range(300):
            pair.check("PFADD", "h", "s%d" % i)
        pair.check("PFDEBUG", "ENCODING", "h")
        pair.check("GET", "h")
    finally:
        pair.check("CONFIG", "SET", "hll-sparse-max-bytes", "3000")


def test_notifications(notify):
    assert notify("KA", ("PFADD", "h", "a"), ("PFADD", "h", "a"), ("PFADD", "h"),
                  ("PFCOUNT", "h"), ("PFMERGE", "d", "h"), ("PFDEBUG", "TODENSE", "d")) != []


def _dirty(conn):
    info = conn.call("INFO", "persistence").decode()
    return int(re.search(r"rdb_changes_since_last_save:(\d+)", info).group(1))


def test_dirty_counting(pair):
    for cmd in [("PFADD", "h", "a", "b", "c"), ("PFADD", "h", "a"), ("PFCOUNT", "h"), ("PFCOUNT", "h"),
                ("PFADD", "h", "z"), ("PFCOUNT", "h", "h"), ("PFMERGE", "d", "h"),
                ("PFDEBUG", "GETREG", "h"), ("PFDEBUG", "TODENSE", "d"), ("PFDEBUG", "TODENSE", "d")]:
        before = _dirty(pair.real), _dirty(pair.ours)
        pair.both(*cmd)
        assert _dirty(pair.ours) - before[1] == _dirty(pair.real) - before[0], cmd


def test_watch_sees_pfcount_cache_refresh(pair):
    pair.check("PFADD", "h", "a")
    pair.check("WATCH", "h")
    other = pair.connect()
    other.check("PFCOUNT", "h")
    pair.check("MULTI")
    pair.check("PFCOUNT", "h")
    pair.check("EXEC")
    other.close()


@pytest.mark.parametrize("name", ["pfadd", "pfcount", "pfmerge", "pfdebug", "pfselftest"])
def test_command_info_and_docs(pair, name):
    pair.both("HELLO", "3")
    pair.check("COMMAND", "INFO", name)
    pair.check("COMMAND", "DOCS", name)


# --- random sequences --------------------------------------------------------

HKEYS = st.sampled_from(["a", "b", "c"])
ELEMENTS = st.lists(st.integers(0, 10 ** 6).map(str), min_size=0, max_size=40)
HSETTINGS = settings(max_examples=20, stateful_step_count=25, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def make_machine(pair):
    class HllMachine(RuleBasedStateMachine):
        @initialize()
        def reset(self):
            pair.check("FLUSHALL")

        @rule(key=HKEYS, elements=ELEMENTS)
        def pfadd(self, key, elements):
            pair.check("PFADD", key, *elements)

        @rule(key=HKEYS, n=st.sampled_from([100, 800, 3000]), base=st.integers(0, 10 ** 6))
        def pfadd_many(self, key, n, base):
            pair.check("PFADD", key, *[str(base + i) for i in range(n)])

        @rule(keys=st.lists(HKEYS, min_size=1, max_size=3))
        def pfcount(self, keys):
            pair.check("PFCOUNT", *keys)

        @rule(dest=HKEYS, srcs=st.lists(HKEYS, min_size=0, max_size=3))
        def pfmerge(self, dest, srcs):
            pair.check("PFMERGE", dest, *srcs)

        @rule(key=HKEYS)
        def todense(self, key):
            pair.check("PFDEBUG", "TODENSE", key)

        @rule(key=HKEYS)
        def get(self, key):
            pair.check("GET", key)

        @rule(key=HKEYS)
        def delete(self, key):
            pair.check("DEL", key)

    return HllMachine


def test_random_hll_commands_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=HSETTINGS)


def test_short_hll_set_by_client_becomes_raw_on_use(pair):
    empty = b"HYLL\x01" + b"\x00" * 11 + b"\x7f\xff"
    pair.check("SET", "h", empty)
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("PFCOUNT", "h")
    pair.check("OBJECT", "ENCODING", "h")
    pair.check("SET", "h2", empty)
    pair.check("PFADD", "h2", "a")
    pair.check("OBJECT", "ENCODING", "h2")
    pair.check("GET", "h2")
    pair.check("SET", "h3", empty)
    pair.check("PFCOUNT", "h3", "h2")
    pair.check("OBJECT", "ENCODING", "h3")
