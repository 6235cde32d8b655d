"""csrc/bitops.c against straightforward Python models of the same rules."""
import random

import pytest

from pyredis._core import unit as u

RNG = random.Random(7)


def _bits(data):
    return "".join(format(b, "08b") for b in data)


@pytest.mark.parametrize("n", [0, 1, 7, 8, 31, 32, 33, 100, 1000])
@pytest.mark.parametrize("offset", [0, 1, 3])
def test_popcount_matches_model(n, offset):
    data = bytes(RNG.randrange(256) for _ in range(n + offset))
    assert u.bitops_popcount(data, offset) == _bits(data[offset:]).count("1")


@pytest.mark.parametrize("data", [b"", b"\x00", b"\xff", b"\x00" * 100 + b"\x01", b"\xff" * 100 + b"\xfe",
                                  b"\x00" * 64, b"\xff" * 64, b"\x10\x00", b"\xef\xff"])
@pytest.mark.parametrize("bit", [0, 1])
def test_bitpos_matches_model(data, bit):
    pos = _bits(data).find(str(bit))
    if pos == -1 and bit == 0:
        pos = len(data) * 8
    assert u.bitops_bitpos(data, bit) == pos


@pytest.mark.parametrize("op,fn", [(0, lambda a, b: a & b), (1, lambda a, b: a | b), (2, lambda a, b: a ^ b)])
def test_combine_pads_short_sources_with_zeros(op, fn):
    srcs = [b"\xf0\x0f\xaa", b"\xff", b""]
    out = []
    for i in range(3):
        v = srcs[0][i]
        for s in srcs[1:]:
            v = fn(v, s[i] if i < len(s) else 0)
        out.append(v)
    assert u.bitops_combine(op, srcs) == bytes(out)


def test_combine_not():
    assert u.bitops_combine(3, [b"\x00\xf0"]) == b"\xff\x0f"


@pytest.mark.parametrize("bits", [1, 5, 8, 13, 63, 64])
def test_set_then_get_roundtrip(bits):
    for _ in range(50):
        offset = RNG.randrange(70)
        value = RNG.getrandbits(bits)
        data = u.bitops_set(bytes(20), offset, bits, value)
        assert u.bitops_get(data, offset, bits, False) == value
        signed = value - (1 << bits) if value >> (bits - 1) else value
        assert u.bitops_get(data, offset, bits, True) == signed
        assert _bits(data)[offset:offset + bits] == format(value, "0%db" % bits)


@pytest.mark.parametrize("signed,bits,value,incr,expected", [
    (False, 8, 250, 10, (1, {0: 4, 1: 255})), (False, 8, 5, -10, (-1, {0: 251, 1: 0})),
    (False, 8, 5, 10, (0, None)), (True, 8, 120, 10, (1, {0: -126, 1: 127})),
    (True, 8, -120, -10, (-1, {0: 126, 1: -128})), (True, 64, 2**63 - 1, 1, (1, {0: -2**63, 1: 2**63 - 1})),
    (True, 64, -2**63, -1, (-1, {0: 2**63 - 1, 1: -2**63})), (False, 63, 2**63 - 1, 1, (1, {0: 0, 1: 2**63 - 1})),
])
def test_overflow_rules(signed, bits, value, incr, expected):
    direction, limits = expected
    for owtype in (0, 1, 2):
        got = u.bitops_overflow(signed, value, incr, bits, owtype)
        # WRAP reports 1 whichever way it wrapped, as Redis's check does
        assert got[0] == (1 if owtype == 0 and direction else direction)
        assert got[1] == (None if limits is None or owtype == 2 else limits[owtype])
