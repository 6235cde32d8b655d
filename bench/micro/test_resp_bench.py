"""Request parsing throughput: our parser against hiredis's Reader on the
same bytes.  hiredis parses replies, and a request is an array of bulk
strings, so both read identical input.  Run with
    python -m pytest bench/micro/test_resp_bench.py --benchmark-only
"""
import pytest

from pyredis._core.unit import Parser

hiredis = pytest.importorskip("hiredis")


def mbulk(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


PIPELINE = b"".join(mbulk(b"SET", b"key:%d" % i, b"v" * 16) for i in range(1000))
BIG = mbulk(b"SET", b"big", b"x" * (4 << 20))
CHUNK = 16 * 1024


def ours(data, chunk):
    p = Parser()
    n = 0
    for i in range(0, len(data), chunk):
        n += len(p.feed(data[i:i + chunk]))
    return n


def theirs(data, chunk):
    r = hiredis.Reader()
    n = 0
    for i in range(0, len(data), chunk):
        r.feed(data[i:i + chunk])
        while r.gets() is not False:
            n += 1
    return n


@pytest.mark.parametrize("impl", [ours, theirs], ids=["pyredis", "hiredis"])
def test_pipeline_1000_small(benchmark, impl):
    assert benchmark(impl, PIPELINE, len(PIPELINE)) == 1000


@pytest.mark.parametrize("impl", [ours, theirs], ids=["pyredis", "hiredis"])
def test_pipeline_16k_reads(benchmark, impl):
    assert benchmark(impl, PIPELINE, CHUNK) == 1000


@pytest.mark.parametrize("impl", [ours, theirs], ids=["pyredis", "hiredis"])
def test_big_bulk_16k_reads(benchmark, impl):
    assert benchmark(impl, BIG, CHUNK) == 1
