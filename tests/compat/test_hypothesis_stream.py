"""Random stream and consumer-group command sequences sent to both servers
(Hypothesis stateful testing).  IDs are explicit (the servers' clocks
differ), and delivery/seen times are masked; everything else -- entries,
PELs, delivery counts, group counters, lag, node layout (DUMP without
groups) -- must match.  Small node limits make entries span many nodes."""
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from support.resp import parse

from test_stream import masked, _mask_pending

KEYS = st.sampled_from(["s1", "s2", "str"])
GROUPS = st.sampled_from(["g1", "g2"])
CONSUMERS = st.sampled_from(["c1", "c2", "c3"])
FIELDS = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "1", "-2"]),
                            st.sampled_from(["", "x", "0", "12345", "y" * 20])),
                  min_size=1, max_size=3)
MS = st.integers(min_value=0, max_value=40)
NEWMS = st.integers(min_value=5, max_value=60)
SEQ = st.integers(min_value=0, max_value=3)
COUNTS = st.sampled_from(["1", "2", "5", "100"])

SETTINGS = settings(max_examples=int(os.environ.get("PYREDIS_HYPOTHESIS_EXAMPLES", "25")),
                    stateful_step_count=50, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def make_machine(pair):
    def same(*cmd):
        a, b = pair.both(*cmd)
        ma, mb = masked(a), masked(b)
        if cmd[0] == "XPENDING":
            ma, mb = _mask_pending(ma), _mask_pending(mb)
        assert ma == mb, "%s -> ours %r != real %r" % (cmd, b, a)

    def sid(ms, seq):
        return "%d-%d" % (ms, seq)

    class StreamMachine(RuleBasedStateMachine):
        @initialize(entries=st.sampled_from(["2", "3", "100"]),
                    nbytes=st.sampled_from(["60", "4096"]))
        def reset(self, entries, nbytes):
            pair.check("FLUSHALL")
            pair.check("CONFIG", "SET", "stream-node-max-entries", entries)
            pair.check("CONFIG", "SET", "stream-node-max-bytes", nbytes)
            pair.check("SET", "str", "x")
            for key in ("s1", "s2"):
                for i in range(1, 7):
                    pair.check("XADD", key, "%d-0" % i, "a", str(i), "b", "x")
                pair.check("XGROUP", "CREATE", key, "g1", "0")
            pair.check("XGROUP", "CREATE", "s1", "g2", "3")

        def teardown(self):
            pair.both("CONFIG", "SET", "stream-node-max-entries", "100")
            pair.both("CONFIG", "SET", "stream-node-max-bytes", "4096")

        @rule(key=KEYS, ms=NEWMS, seq=SEQ, fields=FIELDS, star=st.booleans())
        def xadd(self, key, ms, seq, fields, star):
            idarg = "%d-*" % ms if star else sid(ms, seq)
            pair.check("XADD", key, idarg, *[x for kv in fields for x in kv])

        @rule(key=KEYS, ms=MS, fields=FIELDS,
              trim=st.sampled_from(["MAXLEN", "MINID"]), approx=st.sampled_from(["=", "~"]),
              n=st.integers(min_value=0, max_value=6))
        def xadd_trim(self, key, ms, fields, trim, approx, n):
            thr = str(n) if trim == "MAXLEN" else str(n * 5)
            pair.check("XADD", key, trim, approx, thr, "%d-*" % (ms + 40),
                       *[x for kv in fields for x in kv])

        @rule(key=KEYS, trim=st.sampled_from(["MAXLEN", "MINID"]), approx=st.sampled_from(["=", "~"]),
              n=st.integers(min_value=0, max_value=10), limit=st.sampled_from([None, "0", "1", "3"]))
        def xtrim(self, key, trim, approx, n, limit):
            thr = str(n) if trim == "MAXLEN" else str(n * 4)
            extra = ["LIMIT", limit] if limit is not None else []
            pair.check("XTRIM", key, trim, approx, thr, *extra)

        @rule(key=KEYS, ids=st.lists(st.tuples(MS, SEQ), min_size=1, max_size=3))
        def xdel(self, key, ids):
            pair.check("XDEL", key, *[sid(*i) for i in ids])

        @rule(key=KEYS, a=MS, b=MS, count=st.sampled_from([None, "0", "1", "3"]),
              rev=st.booleans(), ex=st.booleans())
        def xrange(self, key, a, b, count, rev, ex):
            lo, hi = ("(" if ex else "") + str(min(a, b)), str(max(a, b))
            extra = ["COUNT", count] if count is not None else []
            if rev:
                pair.check("XREVRANGE", key, hi, lo, *extra)
            else:
                pair.check("XRANGE", key, lo, hi, *extra)

        @rule(key=KEYS, group=GROUPS, start=st.sampled_from(["0", "$", "7", "20-1"]),
              mk=st.booleans(), er=st.sampled_from([None, "-1", "0", "3"]))
        def xgroup_create(self, key, group, start, mk, er):
            extra = (["MKSTREAM"] if mk else []) + (["ENTRIESREAD", er] if er is not None else [])
            pair.check("XGROUP", "CREATE", key, group, start, *extra)

        @rule(key=KEYS, group=GROUPS, start=st.sampled_from(["0", "$", "10", "30-0"]),
              er=st.sampled_from([None, "-1", "2"]))
        def xgroup_setid(self, key, group, start, er):
            extra = ["ENTRIESREAD", er] if er is not None else []
            pair.check("XGROUP", "SETID", key, group, start, *extra)

        @rule(key=KEYS, group=GROUPS)
        def xgroup_destroy(self, key, group):
            pair.check("XGROUP", "DESTROY", key, group)

        @rule(key=KEYS, group=GROUPS, consumer=CONSUMERS, create=st.booleans())
        def xgroup_consumer(self, key, group, consumer, create):
            pair.check("XGROUP", "CREATECONSUMER" if create else "DELCONSUMER", key, group, consumer)

        @rule(key=KEYS, group=GROUPS, consumer=CONSUMERS, count=st.sampled_from([None, "1", "3"]),
              noack=st.booleans(), start=st.sampled_from([">", ">", "0", "5"]))
        def xreadgroup(self, key, group, consumer, count, noack, start):
            extra = (["COUNT", count] if count else []) + (["NOACK"] if noack else [])
            same("XREADGROUP", "GROUP", group, consumer, *extra, "STREAMS", key, start)

        @rule(key=KEYS, ms=MS, count=st.sampled_from([None, "2"]))
        def xread(self, key, ms, count):
            extra = ["COUNT", count] if count else []
            pair.check("XREAD", *extra, "STREAMS", key, str(ms))

        @rule(key=KEYS, group=GROUPS, ids=st.lists(st.tuples(MS, SEQ), min_size=1, max_size=3))
        def xack(self, key, group, ids):
            pair.check("XACK", key, group, *[sid(*i) for i in ids])

        @rule(key=KEYS, group=GROUPS, consumer=CONSUMERS,
              ids=st.lists(st.tuples(MS, SEQ), min_size=1, max_size=3),
              opts=st.sampled_from([(), ("JUSTID",), ("FORCE",), ("RETRYCOUNT", "4"),
                                    ("FORCE", "JUSTID"), ("LASTID", "35-0")]))
        def xclaim(self, key, group, consumer, ids, opts):
            same("XCLAIM", key, group, consumer, "0", *[sid(*i) for i in ids], *opts)

        @rule(key=KEYS, group=GROUPS, consumer=CONSUMERS, start=st.sampled_from(["0", "10", "(3-0"]),
              count=COUNTS, justid=st.booleans())
        def xautoclaim(self, key, group, consumer, start, count, justid):
            same("XAUTOCLAIM", key, group, consumer, "0", start, "COUNT", count,
                 *(["JUSTID"] if justid else []))

        @rule(key=KEYS, ms=st.integers(min_value=0, max_value=90))
        def xsetid(self, key, ms):
            pair.check("XSETID", key, "%d-0" % ms)

        @rule(key=KEYS, group=GROUPS, consumer=st.sampled_from([None, "c1", "c2"]))
        def xpending(self, key, group, consumer):
            same("XPENDING", key, group)
            same("XPENDING", key, group, "-", "+", "100", *([consumer] if consumer else []))

        @rule(src=KEYS, dst=KEYS)
        def copy(self, src, dst):
            pair.check("COPY", src, dst, "REPLACE")

        @invariant()
        def same_state(self):
            for key in ("s1", "s2"):
                pair.check("XRANGE", key, "-", "+")
                a, b = pair.both("TYPE", key)
                assert a == b
                if parse(a) != b"stream":
                    continue
                pair.check("XINFO", "STREAM", key)
                same("XINFO", "STREAM", key, "FULL")
                same("XINFO", "GROUPS", key)

    return StreamMachine


def test_random_stream_commands_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=SETTINGS)
