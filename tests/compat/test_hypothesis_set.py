"""Random set command sequences over a few keys, sent to both servers.
Replies whose order depends on the hash table are compared sorted; random
picks are compared by size and membership only."""
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from support.resp import Error, parse

KEYS = st.sampled_from(["a", "b", "c", "s"])
MEMBERS = st.sampled_from(["0", "1", "2", "-3", "70000", "9223372036854775807",
                           "01", "x", "y", "", "1.5"])
MEMBER_LISTS = st.lists(MEMBERS, min_size=1, max_size=5)
KEY_LISTS = st.lists(KEYS, min_size=1, max_size=3)

SETTINGS = settings(max_examples=int(os.environ.get("PYREDIS_HYPOTHESIS_EXAMPLES", "30")),
                    stateful_step_count=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _sorted(reply):
    value = parse(reply)
    return sorted(value) if isinstance(value, list) else value


def make_machine(pair):
    def check_sorted(*cmd):
        real, ours = pair.both(*cmd)
        assert _sorted(ours) == _sorted(real), (cmd, real, ours)

    class SetMachine(RuleBasedStateMachine):
        @initialize()
        def reset(self):
            pair.check("FLUSHALL")
            pair.check("CONFIG", "SET", "set-max-intset-entries", "4")

        def teardown(self):
            pair.check("CONFIG", "SET", "set-max-intset-entries", "512")

        @rule(key=KEYS, members=MEMBER_LISTS)
        def sadd(self, key, members):
            pair.check("SADD", key, *members)

        @rule(key=KEYS, members=MEMBER_LISTS)
        def srem(self, key, members):
            pair.check("SREM", key, *members)

        @rule(key=KEYS, value=MEMBERS)
        def set_string(self, key, value):
            pair.check("SET", key, value)

        @rule(key=KEYS)
        def smembers(self, key):
            check_sorted("SMEMBERS", key)

        @rule(key=KEYS, member=MEMBERS)
        def sismember(self, key, member):
            pair.check("SISMEMBER", key, member)

        @rule(key=KEYS, members=MEMBER_LISTS)
        def smismember(self, key, members):
            pair.check("SMISMEMBER", key, *members)

        @rule(key=KEYS)
        def scard_and_encoding(self, key):
            pair.check("SCARD", key)
            pair.check("OBJECT", "ENCODING", key)

        @rule(src=KEYS, dst=KEYS, member=MEMBERS)
        def smove(self, src, dst, member):
            pair.check("SMOVE", src, dst, member)

        @rule(keys=KEY_LISTS)
        def sinter(self, keys):
            check_sorted("SINTER", *keys)

        @rule(keys=KEY_LISTS)
        def sunion(self, keys):
            check_sorted("SUNION", *keys)

        @rule(keys=KEY_LISTS)
        def sdiff(self, keys):
            check_sorted("SDIFF", *keys)

        @rule(keys=KEY_LISTS, limit=st.sampled_from([None, "0", "1", "2"]))
        def sintercard(self, keys, limit):
            extra = ["LIMIT", limit] if limit is not None else []
            pair.check("SINTERCARD", str(len(keys)), *keys, *extra)

        @rule(op=st.sampled_from(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
              dst=KEYS, keys=KEY_LISTS)
        def store(self, op, dst, keys):
            pair.check(op, dst, *keys)

        @rule(key=KEYS, count=st.sampled_from([None, "0", "1", "2", "10"]))
        def spop(self, key, count):
            # the pick is random: compare the key's state after making both
            # servers lose the same members
            args = [count] if count is not None else []
            real, ours = pair.both("SPOP", key, *args)
            pr, po = parse(real), parse(ours)
            if isinstance(pr, (Error, type(None), int)) or pr == []:
                assert pr == po or (isinstance(pr, Error) and isinstance(po, Error)
                                    and str(pr) == str(po)), (key, real, ours)
                return
            assert type(pr) == type(po)
            popped_real = pr if isinstance(pr, list) else [pr]
            popped_ours = po if isinstance(po, list) else [po]
            assert len(popped_real) == len(popped_ours)
            # put back what each popped, then pop the same members from both
            pair.real.call("SADD", key, *popped_real)
            pair.ours.call("SADD", key, *popped_ours)
            pair.check("SREM", key, *popped_real)

        @rule(key=KEYS, count=st.sampled_from([None, "1", "3", "-3", "10"]))
        def srandmember(self, key, count):
            args = [count] if count is not None else []
            real, ours = pair.both("SRANDMEMBER", key, *args)
            pr, po = parse(real), parse(ours)
            if isinstance(pr, list):
                assert isinstance(po, list) and len(pr) == len(po), (real, ours)
                members = set(parse(pair.ours.call("SMEMBERS", key)))
                assert set(po) <= members
            else:
                assert (pr is None) == (po is None), (real, ours)

        @rule(key=KEYS, pattern=st.sampled_from([None, "*", "1*", "x"]))
        def sscan(self, key, pattern):
            args = ["MATCH", pattern] if pattern is not None else []
            results = []
            for conn in (pair.real, pair.ours):
                reply = parse(conn.call("SSCAN", key, "0", "COUNT", "1000", *args))
                results.append(reply if isinstance(reply, Error) else sorted(reply[1]))
            assert results[0] == results[1]

        @rule(keys=KEY_LISTS)
        def delete(self, keys):
            pair.check("DEL", *keys)

        @rule(src=KEYS, dst=KEYS)
        def copy(self, src, dst):
            pair.check("COPY", src, dst, "REPLACE")

        @rule(key=KEYS)
        def type(self, key):
            pair.check("TYPE", key)

    return SetMachine


def test_random_set_commands_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=SETTINGS)
