"""Random list command sequences over a few keys, sent to both servers;
every reply must be identical (Hypothesis stateful testing)."""
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

KEYS = st.sampled_from(["a", "b", "c"])
VALUES = st.sampled_from(["", "0", "1", "-5", "007", "x", "y", "128", "9223372036854775807", "v" * 100])
INDEXES = st.integers(min_value=-12, max_value=12).map(str)
SIDES = st.sampled_from(["LEFT", "RIGHT"])

SETTINGS = settings(max_examples=int(os.environ.get("PYREDIS_HYPOTHESIS_EXAMPLES", "30")),
                    stateful_step_count=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def make_machine(pair):
    class ListMachine(RuleBasedStateMachine):
        @initialize()
        def reset(self):
            pair.both("SELECT", "0")
            pair.check("FLUSHALL")
            pair.both("CONFIG", "SET", "list-max-listpack-size", "4")

        @rule(key=KEYS, values=st.lists(VALUES, min_size=1, max_size=6), left=st.booleans())
        def push(self, key, values, left):
            pair.check("LPUSH" if left else "RPUSH", key, *values)

        @rule(key=KEYS, value=VALUES, left=st.booleans())
        def pushx(self, key, value, left):
            pair.check("LPUSHX" if left else "RPUSHX", key, value)

        @rule(key=KEYS, left=st.booleans(), count=st.sampled_from([None, "0", "1", "3"]))
        def pop(self, key, left, count):
            pair.check("LPOP" if left else "RPOP", key, *([count] if count else []))

        @rule(key=KEYS, start=INDEXES, stop=INDEXES)
        def lrange(self, key, start, stop):
            pair.check("LRANGE", key, start, stop)

        @rule(key=KEYS, index=INDEXES)
        def lindex(self, key, index):
            pair.check("LINDEX", key, index)

        @rule(key=KEYS, index=INDEXES, value=VALUES)
        def lset(self, key, index, value):
            pair.check("LSET", key, index, value)

        @rule(key=KEYS, after=st.booleans(), pivot=VALUES, value=VALUES)
        def linsert(self, key, after, pivot, value):
            pair.check("LINSERT", key, "AFTER" if after else "BEFORE", pivot, value)

        @rule(key=KEYS, count=INDEXES, value=VALUES)
        def lrem(self, key, count, value):
            pair.check("LREM", key, count, value)

        @rule(key=KEYS, start=INDEXES, stop=INDEXES)
        def ltrim(self, key, start, stop):
            pair.check("LTRIM", key, start, stop)

        @rule(key=KEYS, value=VALUES, rank=st.sampled_from(["1", "2", "-1", "-2"]),
              count=st.sampled_from([None, "0", "2"]))
        def lpos(self, key, value, rank, count):
            pair.check("LPOS", key, value, "RANK", rank, *(["COUNT", count] if count else []))

        @rule(src=KEYS, dst=KEYS, wf=SIDES, wt=SIDES)
        def lmove(self, src, dst, wf, wt):
            pair.check("LMOVE", src, dst, wf, wt)

        @rule(keys=st.lists(KEYS, min_size=1, max_size=3), side=SIDES, count=st.sampled_from(["1", "2", "10"]))
        def lmpop(self, keys, side, count):
            pair.check("LMPOP", str(len(keys)), *keys, side, "COUNT", count)

        @rule(keys=st.lists(KEYS, min_size=1, max_size=3), left=st.booleans())
        def bpop(self, keys, left):
            if pair.check("EXISTS", *keys) != b":0\r\n":
                pair.check("BLPOP" if left else "BRPOP", *keys, "0")

        @rule(key=KEYS)
        def llen_type(self, key):
            pair.check("LLEN", key)
            pair.check("TYPE", key)
            pair.check("EXISTS", key)

        @rule(key=KEYS, value=VALUES)
        def set_string(self, key, value):
            pair.check("SET", key, value)

    return ListMachine


def test_random_list_commands_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=SETTINGS)
