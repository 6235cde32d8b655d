"""Random interleavings of transactions on two connections (MULTI, EXEC,
DISCARD, WATCH, UNWATCH among writes and reads), sent to both servers;
every reply must be identical (Hypothesis stateful testing)."""
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from hypothesis.stateful import run_state_machine_as_test

KEYS = st.sampled_from(["a", "b", "c"])
CONN = st.sampled_from([0, 1])
VALUES = st.sampled_from(["1", "x", "10"])
# queued or run directly: writes of several kinds, reads, and refusals
COMMANDS = st.one_of(
    st.tuples(st.just("SET"), KEYS, VALUES),
    st.tuples(st.just("INCR"), KEYS),
    st.tuples(st.just("GET"), KEYS),
    st.tuples(st.just("DEL"), KEYS),
    st.tuples(st.just("LPUSH"), KEYS, VALUES),
    st.tuples(st.just("EXPIRE"), KEYS, st.just("100")),
    st.tuples(st.just("RENAME"), KEYS, KEYS),
    st.tuples(st.just("SELECT"), st.sampled_from(["0", "1"])),
    st.tuples(st.just("SWAPDB"), st.just("0"), st.just("1")),
    st.tuples(st.just("FLUSHDB")),
    st.tuples(st.just("GET")),                    # arity error
    st.tuples(st.just("NOSUCH"), KEYS),           # unknown command
).map(list)

SETTINGS = settings(max_examples=int(os.environ.get("PYREDIS_HYPOTHESIS_EXAMPLES", "100")),
                    stateful_step_count=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def make_machine(pair):
    class MultiMachine(RuleBasedStateMachine):
        @initialize()
        def reset(self):
            self.conns = [pair, pair.connect()]
            for p in self.conns:
                p.check("RESET")
            pair.check("FLUSHALL")

        def teardown(self):
            self.conns[1].close()

        @rule(n=CONN, cmd=COMMANDS)
        def command(self, n, cmd):
            self.conns[n].check(*cmd)

        @rule(n=CONN)
        def multi(self, n):
            self.conns[n].check("MULTI")

        @rule(n=CONN)
        def exec_(self, n):
            self.conns[n].check("EXEC")

        @rule(n=CONN)
        def discard(self, n):
            self.conns[n].check("DISCARD")

        @rule(n=CONN, keys=st.lists(KEYS, min_size=1, max_size=2))
        def watch(self, n, keys):
            self.conns[n].check("WATCH", *keys)

        @rule(n=CONN)
        def unwatch(self, n):
            self.conns[n].check("UNWATCH")

        @invariant()
        def same_data(self):
            if hasattr(self, "conns"):
                check = self.conns[1].connect()
                try:
                    for db in ("0", "1"):
                        check.check("SELECT", db)
                        check.check_unordered("KEYS", "*")
                        for k in ("a", "b", "c"):
                            check.check("DUMP", k)
                finally:
                    check.close()

    return MultiMachine


def test_random_transactions_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=SETTINGS)
