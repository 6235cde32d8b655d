"""Differential tests for the bitmap commands (t_bitops.pyx, csrc/bitops.c):
SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO, their error
texts, notifications and dirty counting."""
import re

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from test_notify import notify  # noqa: F401  (fixture)

PATTERN = bytes(range(256)) * 3 + b"\x00\x00\xff\xff\x00"


# --- SETBIT / GETBIT ---------------------------------------------------------

def test_setbit_grows_string_with_zeros(pair):
    pair.check("SETBIT", "k", "100", "1")
    pair.check("GET", "k")
    pair.check("STRLEN", "k")
    pair.check("OBJECT", "ENCODING", "k")


def test_setbit_returns_previous_bit(pair):
    for off, val in [("7", "1"), ("7", "1"), ("7", "0"), ("0", "1"), ("0", "0")]:
        pair.check("SETBIT", "k", off, val)
    pair.check("GET", "k")


def test_setbit_on_int_encoded_string(pair):
    pair.check("SET", "k", "12345")
    pair.check("SETBIT", "k", "3", "0")
    pair.check("GET", "k")
    pair.check("OBJECT", "ENCODING", "k")


@pytest.mark.parametrize("offset", ["-1", "abc", "4294967296", "#1", "1.5"])
def test_setbit_bad_offset(pair, offset):
    pair.check("SETBIT", "k", offset, "1")


@pytest.mark.parametrize("value", ["2", "-1", "x", ""])
def test_setbit_bad_value(pair, value):
    pair.check("SETBIT", "k", "1", value)


def test_getbit_reads_bits_and_past_end(pair):
    pair.check("SET", "k", "\x80\x01")
    for off in ["0", "1", "15", "16", "1000000"]:
        pair.check("GETBIT", "k", off)
    pair.check("GETBIT", "missing", "5")
    pair.check("GETBIT", "k", "-1")


def test_getbit_int_encoded(pair):
    pair.check("SET", "k", "7")
    for off in range(8):
        pair.check("GETBIT", "k", str(off))


def test_bit_commands_wrongtype(pair):
    pair.check("LPUSH", "l", "a")
    for cmd in [("SETBIT", "l", "1", "1"), ("GETBIT", "l", "1"), ("BITCOUNT", "l"),
                ("BITPOS", "l", "1"), ("BITOP", "AND", "d", "l"), ("BITFIELD", "l", "GET", "u8", "0"),
                ("BITFIELD_RO", "l", "GET", "u8", "0"), ("BITFIELD", "l", "SET", "u8", "0", "1")]:
        pair.check(*cmd)


# --- BITCOUNT ----------------------------------------------------------------

def test_bitcount_whole_string(pair):
    pair.check("SET", "k", PATTERN)
    pair.check("BITCOUNT", "k")
    pair.check("BITCOUNT", "missing")


@pytest.mark.parametrize("start,end", [("0", "0"), ("1", "-1"), ("-3", "-1"), ("-1", "-3"),
                                        ("5", "2"), ("0", "100000"), ("-100000", "3"),
                                        ("100", "200"), ("-5", "-10")])
@pytest.mark.parametrize("unit", [None, "BYTE", "BIT", "bit"])
def test_bitcount_ranges(pair, start, end, unit):
    pair.check("SET", "k", PATTERN)
    pair.check("BITCOUNT", "k", start, end, *([unit] if unit else []))


@pytest.mark.parametrize("args", [("0",), ("0", "1", "FOO"), ("x", "1"), ("0", "y"),
                                  ("0", "1", "BIT", "x")])
def test_bitcount_syntax_errors(pair, args):
    pair.check("SET", "k", "abc")
    pair.check("BITCOUNT", "k", *args)
    pair.check("BITCOUNT", "missing", *args)


def test_bitcount_int_encoded(pair):
    pair.check("SET", "k", "-9876543210")
    pair.check("BITCOUNT", "k")
    pair.check("BITCOUNT", "k", "2", "21", "BIT")


# --- BITPOS ------------------------------------------------------------------

@pytest.mark.parametrize("value", [b"", b"\x00", b"\xff", b"\x00\x00\x00", b"\xff\xff\xff",
                                   b"\x00\xff\xf0", b"\xff\xf0\x00", b"\x01" + b"\x00" * 40,
                                   b"\x00" * 37 + b"\x10", b"\xff" * 41 + b"\xfe"])
@pytest.mark.parametrize("bit", ["0", "1"])
def test_bitpos_without_range(pair, value, bit):
    pair.check("SET", "k", value)
    pair.check("BITPOS", "k", bit)


@pytest.mark.parametrize("rng", [("0",), ("1",), ("-1",), ("0", "-1"), ("1", "1"), ("2", "1"),
                                 ("0", "-1", "BIT"), ("3", "12", "BIT"), ("7", "7", "BIT"),
                                 ("9", "-2", "BIT"), ("-5", "-1", "bit"), ("0", "0", "byte"),
                                 ("100", "200"), ("5", "300", "BIT"), ("-100", "100")])
@pytest.mark.parametrize("value", [b"\x00\xff\xf0", b"\xff\x0f\x00", b"\xff\xff\xff", b"\x00\x00\x00"])
@pytest.mark.parametrize("bit", ["0", "1"])
def test_bitpos_ranges(pair, rng, value, bit):
    pair.check("SET", "k", value)
    pair.check("BITPOS", "k", bit, *rng)


@pytest.mark.parametrize("args", [("2",), ("x",), ("1", "x"), ("1", "0", "y"),
                                  ("1", "0", "1", "FOO"), ("1", "0", "1", "BIT", "extra")])
def test_bitpos_errors(pair, args):
    pair.check("SET", "k", "abc")
    pair.check("BITPOS", "k", *args)
    pair.check("BITPOS", "missing", *args)


def test_bitpos_missing_key(pair):
    pair.check("BITPOS", "missing", "0")
    pair.check("BITPOS", "missing", "1")
    pair.check("BITPOS", "missing", "1", "0", "5", "BIT")


def test_bitpos_long_runs_cross_words(pair):
    for n in [7, 8, 9, 63, 64, 65, 1000]:
        pair.check("SET", "z", b"\x00" * n + b"\x04")
        pair.check("SET", "o", b"\xff" * n + b"\xdf")
        pair.check("BITPOS", "z", "1")
        pair.check("BITPOS", "o", "0")
        pair.check("BITPOS", "z", "1", "3")
        pair.check("BITPOS", "o", "0", "3", "-1")


# --- BITOP -------------------------------------------------------------------

@pytest.mark.parametrize("op", ["AND", "or", "XOR"])
def test_bitop_combines_different_lengths(pair, op):
    pair.check("SET", "a", b"\xf0\x0f\xaa\x55")
    pair.check("SET", "b", b"\xff\x00")
    pair.check("SET", "c", "123")
    pair.check("BITOP", op, "dest", "a", "b", "c", "missing")
    pair.check("GET", "dest")
    pair.check("OBJECT", "ENCODING", "dest")
    pair.check("BITOP", op, "dest", "a")
    pair.check("GET", "dest")


def test_bitop_not(pair):
    pair.check("SET", "a", b"\x00\xf0\xff")
    pair.check("BITOP", "NOT", "dest", "a")
    pair.check("GET", "dest")
    pair.check("BITOP", "NOT", "a", "a")
    pair.check("GET", "a")


def test_bitop_all_empty_deletes_destination(pair):
    pair.check("SET", "dest", "x")
    pair.check("SET", "e", "")
    pair.check("BITOP", "OR", "dest", "missing", "e")
    pair.check("EXISTS", "dest")


def test_bitop_drops_destination_ttl(pair):
    pair.check("SET", "dest", "x", "EX", "100")
    pair.check("SET", "a", "y")
    pair.check("BITOP", "AND", "dest", "a")
    pair.check("TTL", "dest")


@pytest.mark.parametrize("args", [("NOT", "d", "a", "b"), ("NAND", "d", "a"), ("NOT", "d")])
def test_bitop_errors(pair, args):
    pair.check("BITOP", *args)


def test_bitop_wrongtype_source(pair):
    pair.check("SADD", "s", "m")
    pair.check("SET", "a", "x")
    pair.check("BITOP", "OR", "d", "a", "s")
    pair.check("EXISTS", "d")


# --- BITFIELD ----------------------------------------------------------------

def test_bitfield_get_types_and_offsets(pair):
    pair.check("SET", "k", PATTERN[:40])
    for t in ["u1", "i1", "u7", "i8", "u8", "i13", "u31", "i32", "u63", "i64"]:
        for off in ["0", "3", "17", "#2", "#0", "300", "319", "1000"]:
            pair.check("BITFIELD", "k", "GET", t, off)
            pair.check("BITFIELD_RO", "k", "GET", t, off)


def test_bitfield_get_missing_key_and_int_encoding(pair):
    pair.check("BITFIELD", "missing", "GET", "u8", "0", "GET", "i64", "#3")
    pair.check("EXISTS", "missing")
    pair.check("SET", "n", "1234")
    pair.check("BITFIELD", "n", "GET", "u16", "4", "GET", "i5", "#1")


def test_bitfield_no_operations(pair):
    pair.check("BITFIELD", "k")
    pair.check("BITFIELD_RO", "k")
    pair.check("EXISTS", "k")


def test_bitfield_set_returns_old_value(pair):
    pair.check("BITFIELD", "k", "SET", "i8", "0", "-100", "SET", "u4", "#3", "9",
               "SET", "i64", "70", "-1", "GET", "u16", "0")
    pair.check("GET", "k")
    pair.check("BITFIELD", "k", "SET", "u63", "1", "9223372036854775807")
    pair.check("GET", "k")


@pytest.mark.parametrize("ow", ["WRAP", "sat", "FAIL"])
@pytest.mark.parametrize("t,incrs", [("u8", ["200", "100", "-255", "-1"]),
                                     ("i8", ["100", "100", "-300", "-100"]),
                                     ("i64", ["9223372036854775807", "1", "-9223372036854775808", "-5"]),
                                     ("u63", ["9223372036854775807", "1", "-1"]),
                                     ("i1", ["1", "-1", "-1"]), ("u1", ["1", "1", "-2"])])
def test_bitfield_incrby_overflow(pair, ow, t, incrs):
    for incr in incrs:
        pair.check("BITFIELD", "k", "OVERFLOW", ow, "INCRBY", t, "5", incr)
        pair.check("GET", "k")


@pytest.mark.parametrize("ow", ["WRAP", "SAT", "FAIL"])
@pytest.mark.parametrize("t,value", [("u8", "256"), ("u8", "-1"), ("i8", "128"), ("i8", "-129"),
                                     ("u2", "7"), ("i4", "-9"), ("u63", "-1")])
def test_bitfield_set_overflow(pair, ow, t, value):
    pair.check("BITFIELD", "k", "OVERFLOW", ow, "SET", t, "3", value, "GET", t, "3")


def test_bitfield_overflow_applies_to_following_ops(pair):
    pair.check("BITFIELD", "k", "INCRBY", "u2", "0", "5", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "5",
               "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "1", "OVERFLOW", "WRAP", "INCRBY", "u2", "0", "1")


@pytest.mark.parametrize("args", [
    ("GET", "u64", "0"), ("GET", "i65", "0"), ("GET", "i0", "0"), ("GET", "U8", "0"),
    ("GET", "x8", "0"), ("GET", "u", "0"), ("GET", "u8", "-1"), ("GET", "u8", "x"),
    ("GET", "u8", "#-1"), ("GET", "u8", "4294967296"), ("GET", "u8"), ("SET", "u8", "0"),
    ("SET", "u8", "0", "x"), ("INCRBY", "u8", "0", "1.5"), ("OVERFLOW", "BAD"), ("OVERFLOW",),
    ("FOO", "u8", "0"), ("GET", "u8", "0", "SET", "i8", "0", "1", "OVERFLOW", "x"),
])
def test_bitfield_errors(pair, args):
    pair.check("BITFIELD", "k", *args)
    pair.check("BITFIELD_RO", "k", *args)
    pair.check("EXISTS", "k")


def test_bitfield_ro_rejects_writes(pair):
    pair.check("BITFIELD_RO", "k", "GET", "u8", "0", "SET", "u8", "0", "1")
    pair.check("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1")


# --- notifications and dirty counting ----------------------------------------

def test_notifications(notify):
    assert notify("KA", ("SETBIT", "k", "3", "1"), ("SETBIT", "k", "3", "1"),
                  ("SETBIT", "k", "100", "0"), ("BITFIELD", "k", "SET", "u8", "0", "16"),
                  ("BITFIELD", "k", "GET", "u8", "0"), ("BITFIELD", "k", "INCRBY", "u8", "0", "0"),
                  ("BITOP", "NOT", "d", "k"), ("BITOP", "OR", "d", "none"),
                  ("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"),
                  ("BITFIELD", "n", "INCRBY", "u2", "0", "0")) != []


def _dirty(conn):
    info = conn.call("INFO", "persistence").decode()
    return int(re.search(r"rdb_changes_since_last_save:(\d+)", info).group(1))


def test_dirty_counts_only_changes(pair):
    for cmd in [("SETBIT", "k", "3", "1"), ("SETBIT", "k", "3", "1"), ("SETBIT", "k", "3", "0"),
                ("SETBIT", "k", "30", "0"), ("BITFIELD", "k", "SET", "u8", "0", "0"),
                ("BITFIELD", "k", "SET", "u8", "0", "3", "INCRBY", "u4", "0", "1", "INCRBY", "u4", "0", "0"),
                ("BITFIELD", "k", "SET", "u8", "100", "0"), ("BITFIELD", "k", "GET", "u8", "0"),
                ("BITOP", "AND", "d", "k"), ("BITOP", "AND", "d", "none"), ("BITOP", "AND", "d", "none")]:
        before = _dirty(pair.real), _dirty(pair.ours)
        pair.check(*cmd)
        assert _dirty(pair.ours) - before[1] == _dirty(pair.real) - before[0], cmd


def test_watch_sees_setbit(pair):
    pair.check("SET", "k", "a")
    pair.check("WATCH", "k")
    other = pair.connect()
    other.check("SETBIT", "k", "0", "1")
    pair.check("MULTI")
    pair.check("GET", "k")
    pair.check("EXEC")
    other.close()


# --- random sequences --------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "c"])
OFFSETS = st.sampled_from(["0", "1", "7", "8", "13", "63", "64", "100", "-1", "#1", "#7"])
BF_TYPES = st.sampled_from(["u1", "i1", "u3", "i5", "u8", "i8", "i16", "u31", "i64", "u63"])
VALUES = st.sampled_from(["0", "1", "-1", "5", "127", "-128", "255", "1000", "-9223372036854775808",
                          "9223372036854775807"])
SETTINGS = settings(max_examples=25, stateful_step_count=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def make_machine(pair):
    class BitMachine(RuleBasedStateMachine):
        @initialize()
        def reset(self):
            pair.check("FLUSHALL")

        @rule(key=KEYS, value=st.sampled_from(["", "0", "123", "abc", "\xff\x00\xf0", "x" * 70]))
        def set(self, key, value):
            pair.check("SET", key, value)

        @rule(key=KEYS, off=OFFSETS, bit=st.sampled_from(["0", "1"]))
        def setbit(self, key, off, bit):
            pair.check("SETBIT", key, off.lstrip("#"), bit)

        @rule(key=KEYS, off=OFFSETS)
        def getbit(self, key, off):
            pair.check("GETBIT", key, off.lstrip("#"))

        @rule(key=KEYS, rng=st.lists(st.sampled_from(["0", "1", "-1", "5", "-7", "40"]), min_size=0, max_size=2),
              unit=st.sampled_from([[], ["BIT"], ["BYTE"]]))
        def bitcount(self, key, rng, unit):
            pair.check("BITCOUNT", key, *(rng + unit if len(rng) == 2 else rng))

        @rule(key=KEYS, bit=st.sampled_from(["0", "1"]),
              rng=st.lists(st.sampled_from(["0", "1", "-1", "5", "-7", "40"]), min_size=0, max_size=2),
              unit=st.sampled_from([[], ["BIT"], ["BYTE"]]))
        def bitpos(self, key, bit, rng, unit):
            pair.check("BITPOS", key, bit, *(rng + unit if len(rng) == 2 else rng))

        @rule(op=st.sampled_from(["AND", "OR", "XOR", "NOT"]), dest=KEYS,
              srcs=st.lists(KEYS, min_size=1, max_size=3))
        def bitop(self, op, dest, srcs):
            pair.check("BITOP", op, dest, *(srcs[:1] if op == "NOT" else srcs))

        @rule(key=KEYS, ops=st.lists(st.tuples(
            st.sampled_from(["GET", "SET", "INCRBY", "OVERFLOW"]), BF_TYPES, OFFSETS, VALUES,
            st.sampled_from(["WRAP", "SAT", "FAIL"])), min_size=1, max_size=4))
        def bitfield(self, key, ops):
            args = []
            for name, t, off, val, ow in ops:
                if name == "GET":
                    args += [name, t, off]
                elif name == "OVERFLOW":
                    args += [name, ow]
                else:
                    args += [name, t, off, val]
            pair.check("BITFIELD", key, *args)

        @rule(key=KEYS)
        def get(self, key):
            pair.check("GET", key)

    return BitMachine


def test_random_bit_commands_match(pair):
    run_state_machine_as_test(make_machine(pair), settings=SETTINGS)


@pytest.mark.parametrize("name", ["setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro"])
def test_command_info_and_docs(pair, name):
    pair.both("HELLO", "3")
    pair.check("COMMAND", "INFO", name)
    pair.check("COMMAND", "DOCS", name)
    pair.check("COMMAND", "GETKEYS", name, *{"bitop": ["AND", "d", "a", "b"]}.get(name, ["k", "0", "1"]))


def test_offsets_limited_by_proto_max_bulk_len(pair):
    pair.check("CONFIG", "SET", "proto-max-bulk-len", "1mb")
    try:
        pair.check("SETBIT", "k", str(8 * 1024 * 1024), "1")
        pair.check("SETBIT", "k", str(8 * 1024 * 1024 - 1), "1")
        pair.check("STRLEN", "k")
        pair.check("BITFIELD", "k", "GET", "u8", str(8 * 1024 * 1024))
        pair.check("BITFIELD", "k", "SET", "i64", "#131072", "1")
        pair.check("BITFIELD", "k", "SET", "i64", "#131071", "1")
        pair.check("BITFIELD", "k", "GET", "i64", "#99999999999999999")
    finally:
        pair.check("CONFIG", "SET", "proto-max-bulk-len", "512mb")
