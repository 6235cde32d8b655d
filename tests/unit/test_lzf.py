"""csrc/lzf.c: round trips, the fit rule, malformed streams, and output
that matches Redis's compressor on fixed vectors."""
import random

import pytest

unit = pytest.importorskip("pyredis._core.unit")
compress, decompress = unit.lzf_compress, unit.lzf_decompress


def inputs():
    rnd = random.Random(42)
    out = [b"a", b"ab", b"abc", b"abcd", b"a" * 21, b"a" * 300, b"ab" * 1000,
           bytes(range(256)) * 40, b"x" * 70000]
    for n in (5, 21, 33, 64, 100, 263, 264, 265, 1000, 9000, 20000):
        for alphabet in (b"ab", b"abcdefgh", bytes(range(256))):
            out.append(bytes(rnd.choice(alphabet) for _ in range(n)))
    return out


@pytest.mark.parametrize("data", inputs(), ids=lambda d: "%d bytes" % len(d))
def test_round_trip_with_room_to_spare(data):
    # worst case: one literal header per 32 bytes
    c = compress(data, len(data) + len(data) // 32 + 64)
    assert c is not None
    assert decompress(c, len(data)) == data


def test_empty_input_is_not_compressed():
    assert compress(b"", 100) is None


def test_output_that_does_not_fit_is_refused():
    rnd = random.Random(1)
    data = bytes(rnd.randrange(256) for _ in range(200))
    # random bytes do not compress: with the RDB bound (n - 4) there is no room
    assert compress(data, len(data) - 4) is None


def test_repetitive_input_compresses_well():
    c = compress(b"a" * 1000, 996)
    assert c is not None and len(c) < 40


# Vectors produced by Redis 7.0.15 (DUMP of SET values, rdbcompression yes):
# the LZF stream inside the payload.
REDIS_VECTORS = [
    (b"a" * 30, bytes.fromhex("016161e01100016161")),
    (b"abcabcabcabcabcabcabcabcabc", bytes.fromhex("0361626361e00c02016263")),
    (b"hello world, hello world, hello!!",
     bytes.fromhex("0d68656c6c6f20776f726c642c2068e0080c012121")),
]


@pytest.mark.parametrize("data,expected", REDIS_VECTORS)
def test_output_matches_redis(data, expected):
    assert compress(data, len(data) - 4) == expected


def test_decompress_rejects_truncated_literal():
    assert decompress(b"\x05abc", 100) is None


def test_decompress_rejects_reference_before_start():
    assert decompress(b"\x00a\x20\x05", 100) is None


def test_decompress_rejects_missing_offset_byte():
    assert decompress(b"\x00a\x20", 100) is None
    assert decompress(b"\x00a\xe0", 100) is None
    assert decompress(b"\x00a\xe0\x01", 100) is None


def test_decompress_rejects_output_overflow():
    c = compress(b"a" * 100, 200)
    assert decompress(c, 99) is None
    assert decompress(c, 100) == b"a" * 100


def test_decompress_survives_random_garbage():
    rnd = random.Random(3)
    for _ in range(3000):
        blob = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 40)))
        out = decompress(blob, rnd.randrange(1, 300))
        assert out is None or isinstance(out, bytes)
