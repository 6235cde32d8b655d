"""csrc/util.c: Redis 7.0's number acceptance rules and glob matching."""
import math
import time

import pytest

from pyredis._core.unit import monotonic_us, stringmatch, to_d, to_ld, to_ll, wall_ms, wall_us


@pytest.mark.parametrize("s,v", [
    (b"0", 0), (b"1", 1), (b"-1", -1), (b"123", 123),
    (b"9223372036854775807", 2**63 - 1), (b"-9223372036854775808", -2**63),
])
def test_string2ll_accepts(s, v):
    assert to_ll(s) == v


@pytest.mark.parametrize("s", [
    b"", b"-", b"+1", b" 1", b"1 ", b"01", b"00", b"-0", b"1a", b"a", b"1.0",
    b"9223372036854775808", b"-9223372036854775809", b"18446744073709551616",
    b"0000000000000000000001", b"1\x00", b"\x001",
])
def test_string2ll_rejects(s):
    assert to_ll(s) is None


@pytest.mark.parametrize("s,v", [
    (b"1.5", 1.5), (b"-1e3", -1000.0), (b"inf", math.inf), (b"-inf", -math.inf),
    (b"+inf", math.inf), (b"infinity", math.inf), (b"0x10", 16.0), (b".5", 0.5),
    (b"5.", 5.0), (b"+3", 3.0), (b"1e-320", 1e-320),
])
def test_string2d_accepts(s, v):
    assert to_d(s) == v


@pytest.mark.parametrize("s", [
    b"", b" 1", b"1 ", b"nan", b"-nan", b"1e400", b"-1e400", b"1e-400", b"abc",
    b"1.5x", b"1\x00", b"\t1",
])
def test_string2d_rejects(s):
    assert to_d(s) is None


def test_string2d_long_input():
    assert to_d(b"1" + b"0" * 300) == 1e300


@pytest.mark.parametrize("s,v", [
    (b"1.5", 1.5), (b"inf", math.inf), (b"-inf", -math.inf), (b"1e400", 1e400),
])
def test_string2ld_accepts(s, v):
    assert to_ld(s) == v


def test_string2ld_ignores_bytes_after_nul():
    # Redis copies to a C string and checks strtold's end pointer against NUL
    assert to_ld(b"1.5\x00junk") == 1.5


@pytest.mark.parametrize("s", [b"", b" 1", b"1 ", b"nan", b"1e5000", b"x", b"1" * 5120])
def test_string2ld_rejects(s):
    assert to_ld(s) is None


@pytest.mark.parametrize("pattern,s,nocase,expected", [
    (b"*", b"", False, False),                   # KEYS * lists "" only via a shortcut
    (b"**", b"", False, False),
    (b"*", b"anything", False, True),
    (b"", b"", False, True),
    (b"", b"a", False, False),
    (b"a*", b"a", False, True),
    (b"a**", b"a", False, True),
    (b"h?llo", b"hello", False, True),
    (b"h?llo", b"hllo", False, False),
    (b"h*llo", b"heeeello", False, True),
    (b"h[ae]llo", b"hallo", False, True),
    (b"h[ae]llo", b"hillo", False, False),
    (b"h[^e]llo", b"hallo", False, True),
    (b"h[^e]llo", b"hello", False, False),
    (b"h[a-b]llo", b"hbllo", False, True),
    (b"h[b-a]llo", b"hbllo", False, True),       # reversed bounds swap
    (b"h[a-b]llo", b"hcllo", False, False),
    (b"h\\*llo", b"h*llo", False, True),
    (b"h\\*llo", b"hello", False, False),
    (b"[\\]]", b"]", False, True),
    (b"[abc", b"a", False, True),                 # unclosed set
    (b"[abc", b"d", False, False),
    (b"[a-]", b"^", False, True),                 # "a-]" is the range ']'..'a'
    (b"[a-]", b"b", False, False),
    (b"\\", b"\\", False, True),                  # trailing backslash is literal
    (b"HELLO", b"hello", True, True),
    (b"HELLO", b"hello", False, False),
    (b"[A-C]x", b"bx", True, True),
    (b"[A]", b"a", True, True),
    (b"a*b", b"aXXb", False, True),
    (b"a*b", b"aXXc", False, False),
    (b"*a", b"", False, False),
    (b"a?", b"a", False, False),
    (b"[", b"[", False, False),
    (b"x[\x80-\xff]", b"x\x90", False, True),
    (b"x[a-\xff]", b"xb", False, False),           # signed char: 'a' > '\xff'
    (b"x[\xff-a]", b"x\x05", False, True),
])
def test_glob(pattern, s, nocase, expected):
    assert stringmatch(pattern, s, nocase) is expected


def test_glob_many_stars_is_fast():
    pattern = b"a" + b"*a" * 30 + b"b"
    t = time.perf_counter()
    assert stringmatch(pattern, b"a" * 60) is False
    assert time.perf_counter() - t < 1.0


def test_wall_clock_units():
    us, ms = wall_us(), wall_ms()
    assert abs(us / 1000 - ms) < 1000
    assert abs(us / 1e6 - time.time()) < 5


def test_monotonic_advances():
    a = monotonic_us()
    time.sleep(0.01)
    assert monotonic_us() - a >= 9000
