"""csrc/ziplist.c: which ziplist and zipmap blobs pass validation (the
loader only walks validated ones)."""
import struct

import pytest

unit = pytest.importorskip("pyredis._core.unit")


def zl_entry(prevlen, value):
    pl = bytes([prevlen]) if prevlen < 254 else b"\xfe" + struct.pack("<I", prevlen)
    if isinstance(value, int):
        if 0 <= value <= 12:
            enc = bytes([0xF1 + value])
        elif -128 <= value <= 127:
            enc = b"\xfe" + struct.pack("<b", value)
        elif -32768 <= value <= 32767:
            enc = b"\xc0" + struct.pack("<h", value)
        else:
            enc = b"\xe0" + struct.pack("<q", value)
    elif len(value) < 64:
        enc = bytes([len(value)]) + value
    elif len(value) < 16384:
        enc = bytes([0x40 | (len(value) >> 8), len(value) & 0xFF]) + value
    else:
        enc = b"\x80" + struct.pack(">I", len(value)) + value
    return pl + enc


def ziplist(values, count=None):
    body, prev, offsets = b"", 0, []
    for v in values:
        offsets.append(10 + len(body))
        e = zl_entry(prev, v)
        body += e
        prev = len(e)
    tail = offsets[-1] if offsets else 10
    total = 10 + len(body) + 1
    n = len(values) if count is None else count
    return struct.pack("<IIH", total, tail, n) + body + b"\xff"


def test_valid_ziplists_pass():
    assert unit.ziplist_valid(ziplist([]))
    assert unit.ziplist_valid(ziplist([b"a", 1, b"x" * 300, -5, 100000, 2 ** 40]))
    assert unit.ziplist_valid(ziplist([b"y" * 300, b"z"]))   # 5-byte prevlen


def test_count_65535_means_unknown():
    assert unit.ziplist_valid(ziplist([b"a", b"b"], count=0xFFFF))


@pytest.mark.parametrize("mutate", [
    lambda b: b[:-1],                                  # truncated
    lambda b: b[:-1] + b"\x00",                        # no terminator
    lambda b: struct.pack("<I", len(b) + 1) + b[4:],  # total too large
    lambda b: b[:4] + struct.pack("<I", 10) + b[8:],  # tail not at the last entry
    lambda b: b[:8] + struct.pack("<H", 5) + b[10:],  # wrong count
    lambda b: b[:10] + b"\x07" + b[11:],              # first prevlen not 0
    lambda b: b[:11] + b"\x3f" + b[12:],              # string runs past the end
    lambda b: b[:11] + b"\xc5" + b[12:],              # unknown encoding
])
def test_damaged_ziplists_fail(mutate):
    good = ziplist([b"ab", b"cd", 7])
    assert unit.ziplist_valid(good)
    assert not unit.ziplist_valid(mutate(good))


def zipmap(pairs, count=None):
    out = bytes([len(pairs) if count is None else count])
    for f, v in pairs:
        out += bytes([len(f)]) + f + bytes([len(v)]) + b"\x00" + v
    return out + b"\xff"


def test_valid_zipmap_passes():
    assert unit.zipmap_valid(zipmap([(b"a", b"1"), (b"bb", b"22")]))
    assert unit.zipmap_valid(zipmap([(b"a", b"1")], count=254))


@pytest.mark.parametrize("blob", [
    b"\x00\xff",                         # empty
    b"\x01\x05ab\xff",                  # field past the end
    zipmap([(b"a", b"1")], count=3),     # wrong count
    zipmap([(b"a", b"1")])[:-1],         # no terminator
    b"\x01\x01a\x01\x05b\xff",          # free space past the end
])
def test_damaged_zipmaps_fail(blob):
    assert not unit.zipmap_valid(blob)
