"""Micro benchmarks: csrc/dict.c (through the unit wrapper) against a Python
dict doing the same work.  "per_call" variants pay one wrapper call per key
(comparable to Python-level dict use); "bulk" variants loop in C, timing the
table itself.  Python's bytes objects cache their hash, the C table rehashes
with SipHash on every lookup, as the server will.

Run: python -m pytest bench/micro/test_dict_bench.py --benchmark-only
"""
import pytest

unit = pytest.importorskip("pyredis._core.unit")

N = 100_000
KEYS = [b"key:%d" % i for i in range(N)]


def c_filled():
    d = unit.Dict()
    for i, k in enumerate(KEYS):
        d.add(k, i)
    return d


def py_filled():
    return {k: i for i, k in enumerate(KEYS)}


@pytest.mark.benchmark(group="dict-insert-100k")
def test_insert_c_dict_per_call(benchmark):
    def run():
        d = unit.Dict()
        add = d.add
        for i, k in enumerate(KEYS):
            add(k, i)
        return d

    d = benchmark(run)
    assert d.size == N


@pytest.mark.benchmark(group="dict-insert-100k")
def test_insert_c_dict_bulk(benchmark):
    def run():
        d = unit.Dict()
        d.add_many(KEYS)
        return d

    assert benchmark(run).size == N


@pytest.mark.benchmark(group="dict-insert-100k")
def test_insert_python_dict(benchmark):
    def run():
        d = {}
        for i, k in enumerate(KEYS):
            d[k] = i
        return d

    assert len(benchmark(run)) == N


@pytest.mark.benchmark(group="dict-find-100k")
def test_find_c_dict_per_call(benchmark):
    d = c_filled()
    while d.rehash(1000):
        pass
    find = d.find

    def run():
        for k in KEYS:
            find(k)

    benchmark(run)


@pytest.mark.benchmark(group="dict-find-100k")
def test_find_c_dict_bulk(benchmark):
    d = c_filled()
    while d.rehash(1000):
        pass
    assert benchmark(d.find_many, KEYS) == N


@pytest.mark.benchmark(group="dict-find-100k")
def test_find_python_dict(benchmark):
    d = py_filled()
    get = d.get

    def run():
        for k in KEYS:
            get(k)

    benchmark(run)


@pytest.mark.benchmark(group="dict-scan-100k")
def test_scan_c_dict_per_call(benchmark):
    d = c_filled()
    while d.rehash(1000):
        pass

    def run():
        cursor, n = 0, 0
        while True:
            cursor, got = d.scan(cursor)
            n += len(got)
            if cursor == 0:
                return n

    assert benchmark(run) >= N


@pytest.mark.benchmark(group="dict-scan-100k")
def test_scan_c_dict_bulk(benchmark):
    d = c_filled()
    while d.rehash(1000):
        pass
    assert benchmark(d.scan_count) >= N


@pytest.mark.benchmark(group="dict-scan-100k")
def test_scan_python_dict(benchmark):
    # The closest Python analogue: walk the keys in chunks of ~10.
    d = py_filled()

    def run():
        keys, n = list(d), 0
        for i in range(0, len(keys), 10):
            n += len(keys[i:i + 10])
        return n

    assert benchmark(run) == N
