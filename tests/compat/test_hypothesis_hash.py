"""Random hash command sequences sent to both servers (Hypothesis stateful
testing).  Replies whose order depends on the encoding's iteration order
(HGETALL, HKEYS, HVALS) are compared sorted; everything else byte for byte.
Small listpack limits make the sequences cross the encoding conversion."""
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from support.resp import parse

KEYS = st.sampled_from(["h1", "h2", "s"])
FIELDS = st.sampled_from(["a", "b", "c", "d", "e", "1", "-7", "f" * 10, "g" * 20])
VALUES = st.sampled_from(["", "0", "1", "-5", "10", "007", "abc", "3.5", "1e3",
                          "9223372036854775807", "-9223372036854775808", "x" * 12, "y" * 30])
INCRS = st.sampled_from(["0", "1", "-1", "100", "9223372036854775807", "x"])
FLOAT_INCRS = st.sampled_from(["0", "1.5", "-0.25", "1e10", "abc", "inf"])
PAIRS = st.lists(st.tuples(FIELDS, VALUES), min_size=1, max_size=4)

SETTINGS = settings(max_examples=int(os.environ.get("PYREDIS_HYPOTHESIS_EXAMPLES", "30")),
                    stateful_step_count=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _sorted_pairs(raw):
    items = parse(raw)
    if isinstance(items, dict):
        return sorted(items.items())
    if isinstance(items, list):
        return sorted(zip(items[::2], items[1::2]))
    return items


def _sorted(raw):
    items = parse(raw)
    return sorted(items) if isinstance(items, list) else items


def make_machine(pair):
    class HashMachine(RuleBasedStateMachine):
        @initialize(entries=st.sampled_from(["2", "4", "128"]),
                    value=st.sampled_from(["4", "16", "64"]))
        def reset(self, entries, value):
            pair.check("FLUSHALL")
            pair.check("CONFIG", "SET", "hash-max-listpack-entries", entries)
            pair.check("CONFIG", "SET", "hash-max-listpack-value", value)
            pair.check("SET", "s", "string")

        def teardown(self):
            pair.both("CONFIG", "SET", "hash-max-listpack-entries", "512")
            pair.both("CONFIG", "SET", "hash-max-listpack-value", "64")

        @rule(key=KEYS, pairs=PAIRS)
        def hset(self, key, pairs):
            pair.check("HSET", key, *[x for kv in pairs for x in kv])

        @rule(key=KEYS, field=FIELDS, value=VALUES)
        def hsetnx(self, key, field, value):
            pair.check("HSETNX", key, field, value)

        @rule(key=KEYS, fields=st.lists(FIELDS, min_size=1, max_size=3))
        def hdel(self, key, fields):
            pair.check("HDEL", key, *fields)

        @rule(key=KEYS, field=FIELDS)
        def hget(self, key, field):
            pair.check("HGET", key, field)

        @rule(key=KEYS, fields=st.lists(FIELDS, min_size=1, max_size=3))
        def hmget(self, key, fields):
            pair.check("HMGET", key, *fields)

        @rule(key=KEYS, field=FIELDS, incr=INCRS)
        def hincrby(self, key, field, incr):
            pair.check("HINCRBY", key, field, incr)

        @rule(key=KEYS, field=FIELDS, incr=FLOAT_INCRS)
        def hincrbyfloat(self, key, field, incr):
            pair.check("HINCRBYFLOAT", key, field, incr)

        @rule(key=KEYS, field=FIELDS)
        def hstrlen_hexists(self, key, field):
            pair.check("HSTRLEN", key, field)
            pair.check("HEXISTS", key, field)

        @rule(key=KEYS)
        def hlen(self, key):
            pair.check("HLEN", key)

        @rule(key=KEYS)
        def encoding(self, key):
            pair.check("OBJECT", "ENCODING", key)

        @rule(key=KEYS)
        def hrandfield_whole(self, key):
            pair.check_unordered("HRANDFIELD", key, "100", "WITHVALUES")

        @rule(src=KEYS, dst=KEYS)
        def copy(self, src, dst):
            pair.check("COPY", src, dst, "REPLACE")

        @invariant()
        def same_contents(self):
            for key in ("h1", "h2"):
                real, ours = pair.both("HGETALL", key)
                assert _sorted_pairs(ours) == _sorted_pairs(real), (key, real, ours)
                real, ours = pair.both("HKEYS", key)
                assert _sorted(ours) == _sorted(real), (key, real, ours)

    return HashMachine


def test_random_hash_commands_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=SETTINGS)
