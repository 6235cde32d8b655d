"""csrc/reply.c: exact bytes of every encoder.  Double formats were taken
from a real Redis 7.0.15 (ZSCORE on a skiplist zset, INCRBYFLOAT)."""
import math

import pytest

from pyredis._core.unit import (ReplyBuffer, encode, fmt_double, fmt_human_long_double,
                                fmt_long_long)


def test_status():
    assert encode("status", b"QUEUED") == b"+QUEUED\r\n"


def test_ok():
    assert encode("ok") == b"+OK\r\n"


def test_error_keeps_code():
    assert encode("error", b"WRONGTYPE Operation") == b"-WRONGTYPE Operation\r\n"


def test_error_newlines_become_spaces():
    assert encode("error", b"ERR a\r\nb\nc") == b"-ERR a  b c\r\n"


def test_error_with_leading_dash_not_doubled():
    assert encode("error", b"-ERR x") == b"-ERR x\r\n"


@pytest.mark.parametrize("v,out", [
    (0, b":0\r\n"), (1, b":1\r\n"), (-1, b":-1\r\n"), (9, b":9\r\n"), (10, b":10\r\n"),
    (99, b":99\r\n"), (100, b":100\r\n"), (123456789, b":123456789\r\n"),
    (2**63 - 1, b":9223372036854775807\r\n"), (-2**63, b":-9223372036854775808\r\n"),
])
def test_integer(v, out):
    assert encode("int", v) == out


def test_fmt_long_long_matches_python_for_powers_of_ten():
    for e in range(19):
        for v in (10**e - 1, 10**e, 10**e + 1, -(10**e)):
            assert fmt_long_long(v) == str(v).encode()


def test_bulk():
    assert encode("bulk", b"hello") == b"$5\r\nhello\r\n"


def test_bulk_empty():
    assert encode("bulk", b"") == b"$0\r\n\r\n"


def test_bulk_binary():
    assert encode("bulk", b"\r\n\x00") == b"$3\r\n\r\n\x00\r\n"


def test_bulk_long_long():
    assert encode("bulk_ll", -42) == b"$3\r\n-42\r\n"


@pytest.mark.parametrize("d,text", [
    (1.5, b"1.5"),
    (0.1, b"0.10000000000000001"),
    (1e300, b"1.0000000000000001e+300"),
    (-0.0, b"-0"),
    (3.0, b"3"),
    (1e-300, b"1e-300"),
    (123456789012345678.0, b"1.2345678901234568e+17"),
    (5e-324, b"4.9406564584124654e-324"),
    (math.inf, b"inf"),
    (-math.inf, b"-inf"),
])
def test_double_resp2_and_resp3(d, text):
    assert encode("double", d, resp=2) == b"$%d\r\n%s\r\n" % (len(text), text)
    assert encode("double", d, resp=3) == b",%s\r\n" % text


def test_fmt_double_nan():
    assert fmt_double(math.nan) == b"nan"


@pytest.mark.parametrize("inp,out", [
    ("1.5", b"1.5"),
    ("0.1", b"0.1"),
    ("3.0", b"3"),
    ("-0.0", b"0"),
    ("1e20", b"100000000000000000000"),
    ("0.30000000000000004", b"0.30000000000000004"),
    ("1.23456789012345678901", b"1.23456789012345679"),
    ("-1.5", b"-1.5"),
    ("5e-20", b"0"),
    ("1e-17", b"0.00000000000000001"),
    ("10.5", b"10.5"),
    ("inf", b"inf"),
    ("-inf", b"-inf"),
])
def test_human_long_double(inp, out):
    assert fmt_human_long_double(inp) == out


def test_human_long_double_of_sum_like_incrbyfloat():
    # SET k 0.1; INCRBYFLOAT k 0.2 -> "0.3" (long double arithmetic)
    assert encode("human_ld", "0.3") == b"$3\r\n0.3\r\n"


def test_human_long_double_1e300_is_all_digits():
    out = fmt_human_long_double("1e300")
    assert len(out) == 301 and out.startswith(b"10000000000000000000")


def test_human_long_double_too_small_buffer():
    assert fmt_human_long_double("123456", size=4) is None


def test_null():
    assert encode("null", resp=2) == b"$-1\r\n"
    assert encode("null", resp=3) == b"_\r\n"


def test_null_array():
    assert encode("null_array", resp=2) == b"*-1\r\n"
    assert encode("null_array", resp=3) == b"_\r\n"


def test_array_len():
    assert encode("array", 3) == b"*3\r\n"
    assert encode("array", 0) == b"*0\r\n"


def test_map_len():
    assert encode("map", 2, resp=2) == b"*4\r\n"
    assert encode("map", 2, resp=3) == b"%2\r\n"


def test_set_len():
    assert encode("set", 5, resp=2) == b"*5\r\n"
    assert encode("set", 5, resp=3) == b"~5\r\n"


def test_attribute_len():
    assert encode("attribute", 1, resp=3) == b"|1\r\n"


def test_push_len():
    assert encode("push", 3, resp=2) == b"*3\r\n"
    assert encode("push", 3, resp=3) == b">3\r\n"


def test_bool():
    assert encode("bool", True, resp=2) == b":1\r\n"
    assert encode("bool", False, resp=2) == b":0\r\n"
    assert encode("bool", True, resp=3) == b"#t\r\n"
    assert encode("bool", False, resp=3) == b"#f\r\n"


def test_verbatim():
    assert encode("verbatim", b"hi", b"txt", resp=3) == b"=6\r\ntxt:hi\r\n"
    assert encode("verbatim", b"hi", b"txt", resp=2) == b"$2\r\nhi\r\n"


def test_bignum():
    assert encode("bignum", b"1234567890123456789012", resp=3) == b"(1234567890123456789012\r\n"
    assert encode("bignum", b"12", resp=2) == b"$2\r\n12\r\n"


def test_buffer_appends_accumulate():
    r = ReplyBuffer()
    r.append(b"+OK\r\n")
    r.bulk(b"x")
    assert r.getvalue() == b"+OK\r\n$1\r\nx\r\n"


def test_buffer_grows_for_large_bulk():
    r = ReplyBuffer()
    big = b"z" * 1_000_000
    r.bulk(big)
    assert r.getvalue() == b"$1000000\r\n" + big + b"\r\n"
    assert r.cap >= len(r.getvalue())


def test_clear_releases_large_block():
    r = ReplyBuffer()
    r.append(b"z" * 100_000)
    r.clear()
    assert r.getvalue() == b"" and r.cap == 0


def test_clear_keeps_small_block():
    r = ReplyBuffer()
    r.append(b"z" * 1000)
    cap = r.cap
    r.clear()
    assert r.getvalue() == b"" and r.cap == cap
