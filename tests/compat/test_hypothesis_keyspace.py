"""Random command sequences over a small keyspace, sent to both servers;
every reply must be identical (Hypothesis stateful testing)."""
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from support.resp import parse

KEYS = st.sampled_from(["a", "b", "c", "d"])
VALUES = st.sampled_from(["", "0", "1", "-5", "10", "007", "abc", "3.5",
                          "9223372036854775807", "x" * 50])
INTS = st.sampled_from(["0", "1", "-1", "7", "100", "-100", "9223372036854775807", "x"])
BIG_TTLS = st.sampled_from(["1000", "50000", "999999", "0", "-1", "abc"])
SET_OPTIONS = st.lists(st.sampled_from([("NX",), ("XX",), ("GET",), ("KEEPTTL",),
                                        ("EX", "1000"), ("PX", "5000000"), ("EX", "0")]),
                       max_size=3).map(lambda opts: [a for opt in opts for a in opt])

# PYREDIS_HYPOTHESIS_EXAMPLES raises the bound for a deeper local run.
SETTINGS = settings(max_examples=int(os.environ.get("PYREDIS_HYPOTHESIS_EXAMPLES", "30")), stateful_step_count=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _ttl_kind(reply):
    value = parse(reply)
    return value if value < 0 else "positive"


def make_machine(pair):
    class KeyspaceMachine(RuleBasedStateMachine):
        @initialize()
        def reset(self):
            pair.both("SELECT", "0")
            pair.check("FLUSHALL")

        @rule(key=KEYS, value=VALUES, opts=SET_OPTIONS)
        def set(self, key, value, opts):
            pair.check("SET", key, value, *opts)

        @rule(key=KEYS)
        def get(self, key):
            pair.check("GET", key)

        @rule(keys=st.lists(KEYS, min_size=1, max_size=3))
        def delete(self, keys):
            pair.check("DEL", *keys)

        @rule(key=KEYS)
        def incr(self, key):
            pair.check("INCR", key)

        @rule(key=KEYS, amount=INTS)
        def incrby(self, key, amount):
            pair.check("INCRBY", key, amount)

        @rule(key=KEYS, value=VALUES)
        def append(self, key, value):
            pair.check("APPEND", key, value)

        @rule(key=KEYS, offset=st.sampled_from(["0", "1", "5", "-1"]), value=VALUES)
        def setrange(self, key, offset, value):
            pair.check("SETRANGE", key, offset, value)

        @rule(key=KEYS, start=st.sampled_from(["0", "1", "-1", "-3", "10"]),
              end=st.sampled_from(["0", "2", "-1", "-2", "100"]))
        def getrange(self, key, start, end):
            pair.check("GETRANGE", key, start, end)

        @rule(key=KEYS)
        def strlen(self, key):
            pair.check("STRLEN", key)

        @rule(keys=st.lists(KEYS, min_size=1, max_size=4))
        def exists(self, keys):
            pair.check("EXISTS", *keys)

        @rule(src=KEYS, dst=KEYS)
        def rename(self, src, dst):
            pair.check("RENAME", src, dst)

        @rule(src=KEYS, dst=KEYS, replace=st.booleans())
        def copy(self, src, dst, replace):
            pair.check("COPY", src, dst, *(["REPLACE"] if replace else []))

        @rule(key=KEYS, ttl=BIG_TTLS)
        def expire(self, key, ttl):
            pair.check("EXPIRE", key, ttl)

        @rule(key=KEYS)
        def persist(self, key):
            pair.check("PERSIST", key)

        @rule(key=KEYS)
        def ttl(self, key):
            real, ours = pair.both("TTL", key)
            assert _ttl_kind(ours) == _ttl_kind(real), (key, real, ours)

        @rule(key=KEYS)
        def type(self, key):
            pair.check("TYPE", key)

        @rule(pairs=st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=3))
        def mset(self, pairs):
            pair.check("MSET", *[x for kv in pairs for x in kv])

        @rule(keys=st.lists(KEYS, min_size=1, max_size=4))
        def mget(self, keys):
            pair.check("MGET", *keys)

        @rule(key=KEYS)
        def getdel(self, key):
            pair.check("GETDEL", key)

        @rule(db=st.sampled_from(["0", "1"]))
        def select(self, db):
            pair.check("SELECT", db)

        @rule(key=KEYS, db=st.sampled_from(["0", "1"]))
        def move(self, key, db):
            pair.check("MOVE", key, db)

        @rule()
        def dbsize(self):
            pair.check("DBSIZE")

        @rule()
        def keys(self):
            pair.check_unordered("KEYS", "*")

    return KeyspaceMachine


def test_random_keyspace_commands_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=SETTINGS)
