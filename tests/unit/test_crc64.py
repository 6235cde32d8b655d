"""csrc/crc64.c: CRC-64/Jones as RDB and DUMP use it."""
import random

import pytest

unit = pytest.importorskip("pyredis._core.unit")
crc64_of = unit.crc64_of

POLY_REFLECTED = int("{:064b}".format(0xad93d23594c935a9)[::-1], 2)


def bitwise_crc64(data, crc=0):
    """The definition, one bit at a time."""
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ POLY_REFLECTED if crc & 1 else crc >> 1
    return crc


def test_check_value_of_123456789():
    assert crc64_of(b"123456789") == 0xe9c6d914c4b8d9ca


def test_empty_input_leaves_the_crc_unchanged():
    assert crc64_of(b"") == 0
    assert crc64_of(b"", 12345) == 12345


@pytest.mark.parametrize("size", [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000])
def test_matches_the_bitwise_definition(size):
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    assert crc64_of(data) == bitwise_crc64(data)


def test_incremental_equals_one_shot():
    rnd = random.Random(7)
    data = bytes(rnd.randrange(256) for _ in range(5000))
    for cut in (0, 1, 3, 8, 13, 4096, 4999, 5000):
        assert crc64_of(data[cut:], crc64_of(data[:cut])) == crc64_of(data)


def test_checksum_of_a_redis_dump_payload():
    # DUMP of the string "a" from Redis 7.0.15: type, value, version, then
    # the CRC-64 (little endian) of those five bytes
    payload = b"\x00\x01a\x0a\x00\xbf\xfe\xef\x9b\x8f6}\xb4"
    assert crc64_of(payload[:-8]).to_bytes(8, "little") == payload[-8:]
