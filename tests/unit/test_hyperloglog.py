"""csrc/hyperloglog.c: hash, register encodings and the estimator, against
values from redis-server 7.0.15 and Python models of the formats."""
import random

from pyredis._core import unit as u

SEED = 0xadc83b19


def _murmur64a(data, seed):
    m, r, mask = 0xc6a4a7935bd1e995, 47, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    end = len(data) - len(data) % 8
    for i in range(0, end, 8):
        k = int.from_bytes(data[i:i + 8], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h ^= k
        h = (h * m) & mask
    tail = data[end:]
    if tail:
        for i in reversed(range(len(tail))):
            h ^= tail[i] << (8 * i)
        h = (h * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    h ^= h >> r
    return h


def test_murmur_matches_model():
    rng = random.Random(3)
    for n in range(40):
        data = bytes(rng.randrange(256) for _ in range(n))
        assert u.hll_murmur64a(data, SEED) == _murmur64a(data, SEED)


def test_patlen_index_and_run():
    h = _murmur64a(b"a", SEED)
    index, count = u.hll_patlen(b"a")
    assert index == h & 16383
    rest = (h >> 14) | (1 << 50)
    assert count == (rest & -rest).bit_length()


def test_empty_sparse_is_one_xzero_run():
    assert u.hll_empty_sparse() == b"HYLL\x01" + b"\x00" * 11 + b"\x7f\xff"


def test_redis_value_for_a_b():
    # GET of PFADD h a b on redis-server 7.0.15 (cache marked stale)
    expected = b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84K\xfb\x80BZ"
    hll = u.hll_empty_sparse()
    for ele in (b"a", b"b"):
        index, count = u.hll_patlen(ele)
        _, hll = u.hll_sparse_set(hll, index, count)
    assert hll == expected


def test_sparse_and_dense_agree():
    rng = random.Random(5)
    hll = u.hll_empty_sparse()
    model = [0] * 16384
    for _ in range(300):
        index, count = rng.randrange(16384), rng.randrange(1, 33)
        r, new = u.hll_sparse_set(hll, index, count)
        assert r in (0, 1)
        assert r == (count > model[index])
        model[index] = max(model[index], count)
        hll = new
    dense = u.hll_to_dense(hll)
    assert u.hll_dense_registers(dense) == model
    assert u.hll_count(hll)[0] == u.hll_count(dense)[0]


def test_large_value_asks_for_promotion():
    r, _ = u.hll_sparse_set(u.hll_empty_sparse(), 5, 33)
    assert r == 2


def test_sparse_max_bytes_asks_for_promotion():
    hll = u.hll_empty_sparse()
    r = 0
    for i in range(0, 16384, 97):
        r, hll = u.hll_sparse_set(hll, i, 3, sparse_max=40)
        if r == 2:
            break
    assert r == 2 and len(hll) <= 40


def test_corrupt_sparse_detected():
    header = u.hll_empty_sparse()[:16]
    assert u.hll_to_dense(header + b"\x7f\xff\x00") is None
    assert u.hll_count(header + b"\x40\x00")[1] is True


def test_estimate_close_to_true_cardinality():
    n = 20000
    hll = u.hll_empty_sparse()
    dense = None
    for i in range(n):
        index, count = u.hll_patlen(b"%d" % i)
        if dense is None:
            r, new = u.hll_sparse_set(hll, index, count)
            if r == 2:
                dense = u.hll_to_dense(hll)
            else:
                hll = new
                continue
        regs = u.hll_dense_registers(dense)
        if count > regs[index]:
            dense = _dense_with(dense, index, count)
    card, _ = u.hll_count(dense)
    assert abs(card - n) / n < 0.03


def _dense_with(dense, index, count):
    data = bytearray(dense + b"\0")
    bit = index * 6
    for j in range(6):
        pos = bit + j
        mask = 1 << (pos & 7)
        if (count >> j) & 1:
            data[16 + pos // 8] |= mask
        else:
            data[16 + pos // 8] &= ~mask & 0xff
    return bytes(data[:-1])
