"""csrc/listpack.c: byte-exact Redis 7.0 listpack encodings, navigation,
edits, and integrity validation."""
import random
import struct

import pytest

from pyredis._core.unit import Listpack, lp_validate, lp_estimate_entry_size


def blob_of(*entries):
    """Header + concatenated raw entry bytes + terminator."""
    body = b"".join(entries)
    return struct.pack("<IH", 6 + len(body) + 1, len(entries)) + body + b"\xff"


def single(v):
    lp = Listpack()
    lp.append(v)
    return lp.blob()


def test_empty_listpack_is_seven_bytes():
    assert Listpack().blob() == b"\x07\x00\x00\x00\x00\x00\xff"


@pytest.mark.parametrize("v, raw", [
    (0, b"\x00\x01"),
    (127, b"\x7f\x01"),
    (128, b"\xc0\x80\x02"),
    (-1, b"\xdf\xff\x02"),
    (4095, b"\xcf\xff\x02"),
    (-4096, b"\xd0\x00\x02"),
    (4096, b"\xf1\x00\x10\x03"),
    (-32768, b"\xf1\x00\x80\x03"),
    (32767, b"\xf1\xff\x7f\x03"),
    (32768, b"\xf2\x00\x80\x00\x04"),
    (-8388608, b"\xf2\x00\x00\x80\x04"),
    (8388608, b"\xf3\x00\x00\x80\x00\x05"),
    (-2147483648, b"\xf3\x00\x00\x00\x80\x05"),
    (2147483648, b"\xf4" + struct.pack("<q", 2147483648) + b"\x09"),
    (-(2**63), b"\xf4" + struct.pack("<q", -(2**63)) + b"\x09"),
    (2**63 - 1, b"\xf4" + struct.pack("<q", 2**63 - 1) + b"\x09"),
])
def test_integer_encodings_are_byte_exact(v, raw):
    assert single(v) == blob_of(raw)
    assert single(str(v).encode()) == blob_of(raw)
    lp = Listpack(single(v))
    assert lp.get(0) == v


@pytest.mark.parametrize("n, hdr, backlen", [
    (0, b"\x80", b"\x01"),
    (63, b"\xbf", b"\x40"),
    (64, b"\xe0\x40", b"\x42"),
    (125, b"\xe0\x7d", b"\x7f"),
    (126, b"\xe0\x7e", b"\x01\x80"),        # l = 128 needs two backlen bytes
    (4095, b"\xef\xff", b"\x20\x81"),
    (4096, b"\xf0\x00\x10\x00\x00", b"\x20\x85"),
    (16377, b"\xf0\xf9\x3f\x00\x00", b"\x7f\xfe"),      # l = 16382
    (16378, b"\xf0\xfa\x3f\x00\x00", b"\x00\xff\xff"),  # l = 16383: three bytes
])
def test_string_encodings_are_byte_exact(n, hdr, backlen):
    s = b"x" * n
    assert single(s) == blob_of(hdr + s + backlen)
    assert Listpack(single(s)).get(0) == s


@pytest.mark.parametrize("s", [b"0123", b"-0", b"+1", b" 1", b"1 ", b"9223372036854775808", b"1.5", b""])
def test_non_canonical_numbers_stay_strings(s):
    lp = Listpack()
    lp.append(s)
    assert lp.get(0) == s
    assert lp.get_bytes(0) == s


def test_get_bytes_formats_integers():
    lp = Listpack()
    for v in (0, -1, 12345, -(2**63)):
        lp.append(v)
    assert [lp.get_bytes(i) for i in range(4)] == [b"0", b"-1", b"12345", str(-(2**63)).encode()]


def test_seek_accepts_negative_indexes():
    lp = Listpack()
    for i in range(10):
        lp.append(b"e%d" % i)
    assert lp.get(-1) == b"e9"
    assert lp.get(-10) == b"e0"
    assert lp.get(7) == b"e7"
    with pytest.raises(IndexError):
        lp.get(10)
    with pytest.raises(IndexError):
        lp.get(-11)


def test_backward_walk_matches_forward():
    lp = Listpack()
    for n in (0, 1, 63, 64, 127, 4095, 4096, 20000):
        lp.append(b"y" * n)
        lp.append(n)
    assert lp.to_list_reversed() == lp.to_list()[::-1]


def test_find_with_skip_walks_pairs():
    lp = Listpack()
    for k, v in [(b"a", b"b"), (b"b", b"c"), (b"10", b"a")]:
        lp.append(k)
        lp.append(v)
    assert lp.find(b"b") == 1
    assert lp.find(b"b", 1) == 2
    assert lp.find(b"10", 1) == 4
    assert lp.find(b"a", 1) == 0
    assert lp.find(b"c", 1) == -1
    assert lp.find(b"010") == -1


def test_count_saturates_and_length_still_counts():
    lp = Listpack()
    for i in range(70000):
        lp.append(1)
    assert len(lp) == 70000
    assert lp.blob()[4:6] == b"\xff\xff"
    lp.delete_range(0, 69000)
    assert len(lp) == 1000
    assert lp_validate(lp.blob())


def test_estimate_entry_size_matches_stored_size():
    for s in (b"1", b"-5000", b"abc", b"z" * 200, b"z" * 5000, b"99999999999"):
        lp = Listpack()
        lp.append(s)
        assert lp.entry_size(0) == lp_estimate_entry_size(s)


def _rand_value(rng):
    k = rng.random()
    if k < 0.4:
        return rng.choice([0, 1, 127, 128, -1, 4095, 4096, -4097, 2**15, 2**23, 2**31, -(2**63), 2**63 - 1,
                           rng.randint(-(2**63), 2**63 - 1)])
    n = rng.choice([0, 1, 5, 63, 64, 200, 4095, 4096, 5000])
    return bytes(rng.randrange(256) for _ in range(min(n, 50))) + b"q" * max(0, n - 50)


def _norm(v):
    if isinstance(v, int):
        return v
    try:
        i = int(v)
        if str(i).encode() == v and -(2**63) <= i < 2**63:
            return i
    except ValueError:
        pass
    return v


def test_random_operations_match_a_python_list():
    rng = random.Random(7)
    lp, model = Listpack(), []
    for step in range(3000):
        op = rng.random()
        v = _rand_value(rng)
        if op < 0.25 or not model:
            lp.append(v)
            model.append(_norm(v))
        elif op < 0.4:
            lp.prepend(v)
            model.insert(0, _norm(v))
        elif op < 0.5:
            i = rng.randrange(len(model))
            lp.insert_before(i, v)
            model.insert(i, _norm(v))
        elif op < 0.6:
            i = rng.randrange(len(model))
            lp.insert_after(i, v)
            model.insert(i + 1, _norm(v))
        elif op < 0.7:
            i = rng.randrange(len(model))
            lp.replace(i, v)
            model[i] = _norm(v)
        elif op < 0.85:
            i = rng.randrange(-len(model), len(model))
            lp.delete(i)
            del model[i]
        else:
            i = rng.randrange(len(model))
            n = rng.randrange(4)
            lp.delete_range(i, n)
            del model[i:i + n]
        if step % 50 == 0:
            assert lp.to_list() == model
            assert lp.to_list_reversed() == model[::-1]
            assert lp_validate(lp.blob())
        assert len(lp) == len(model)
    assert lp.to_list() == model


def test_validate_accepts_good_blobs():
    lp = Listpack()
    for v in (1, b"abc", -70000, b"x" * 5000):
        lp.append(v)
    assert lp_validate(lp.blob())
    assert lp_validate(Listpack().blob())


def test_validate_rejects_corruptions():
    lp = Listpack()
    for v in (1, b"abc", -70000, b"x" * 300):
        lp.append(v)
    good = lp.blob()
    assert not lp_validate(good[:-1])                    # total bytes mismatch
    assert not lp_validate(good[:-1] + b"\x00")          # no terminator
    bad = bytearray(good); bad[4] = 9                    # wrong count
    assert not lp_validate(bytes(bad))
    bad = bytearray(good); bad[6 + 2] = 0x07             # broken backlen of entry 0
    assert not lp_validate(bytes(bad))
    bad = bytearray(good); bad[6] = 0xF7                 # invalid encoding byte
    assert not lp_validate(bytes(bad))
    bad = bytearray(good); bad[8] = 0xBF                 # string longer than the blob
    assert not lp_validate(bytes(bad))
    assert not lp_validate(b"\x06\x00\x00\x00\x00\x00")


def test_validate_random_mutations_never_crash():
    rng = random.Random(3)
    lp = Listpack()
    for i in range(50):
        lp.append(_rand_value(rng))
    good = lp.blob()
    for _ in range(2000):
        b = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        lp_validate(bytes(b))
