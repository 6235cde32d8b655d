"""csrc/zmalloc.c through pyredis._core.unit: size classes, slab pages and
used-memory accounting.  The unit module has its own copy of the allocator,
shared with the other unit tests, so counters are compared with a baseline
taken at the start of each test."""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

unit = pytest.importorskip("pyredis._core.unit")
ZHeap = unit.ZHeap
SLAB_MAX = unit.SLAB_MAX
PAGE = 65536
PAGE_HEADER = 48


def class_size(n):
    if n <= 128:
        return max(8, (n + 7) // 8 * 8)
    if n <= 256:
        return (n + 15) // 16 * 16
    return (n + 31) // 32 * 32


def slab_class(objsize):
    """(pages, live) of the slab class with that object size."""
    for size, pages, live in unit.zm_slab_stats():
        if size == objsize:
            return pages, live
    raise KeyError(objsize)


def per_page(objsize):
    return (PAGE - PAGE_HEADER) // objsize


def sizes():
    """Mostly slab sizes, some just past the slab limit, a few large."""
    return st.one_of(st.integers(0, 128), st.integers(0, SLAB_MAX + 64),
                     st.integers(0, 20000))


def test_zmalloc_zero_gives_distinct_smallest_class_blocks():
    h = ZHeap()
    a, b = h.alloc(0), h.alloc(0)
    assert h.address(a) != h.address(b)
    assert h.usable(a) == h.usable(b) == 8


def test_usable_size_is_the_class_size_for_every_small_request():
    h = ZHeap()
    for n in range(SLAB_MAX + 1):
        b = h.alloc(n)
        assert h.usable(b) == class_size(n), n
        h.free(b)


def test_classes_step_by_8_then_16_then_32():
    objsizes = [s for s, _, _ in unit.zm_slab_stats()]
    assert objsizes == (list(range(8, 129, 8)) + list(range(144, 257, 16))
                        + list(range(288, 513, 32)))


def test_large_requests_bypass_the_slabs():
    h = ZHeap()
    live0 = sum(live for _, _, live in unit.zm_slab_stats())
    blocks = [(n, h.alloc(n)) for n in (SLAB_MAX + 1, 4096, 100000, 1 << 20)]
    assert sum(live for _, _, live in unit.zm_slab_stats()) == live0
    for n, b in blocks:
        assert h.usable(b) >= n


def test_used_memory_counts_the_usable_size():
    h = ZHeap()
    for n in (0, 1, 9, 129, 500, SLAB_MAX, SLAB_MAX + 1, 70000):
        before = unit.zm_used_memory()
        b = h.alloc(n)
        assert unit.zm_used_memory() - before == h.usable(b)
        h.free(b)
        assert unit.zm_used_memory() == before


def test_libc_memory_counts_only_blocks_past_the_slabs():
    h = ZHeap()
    libc0 = unit.zm_libc_memory()
    small = h.alloc(SLAB_MAX)
    assert unit.zm_libc_memory() == libc0
    big = h.alloc(SLAB_MAX + 1)
    assert unit.zm_libc_memory() - libc0 == h.usable(big)
    h.realloc(small, 3000)
    h.realloc(big, 10)
    assert unit.zm_libc_memory() - libc0 == h.usable(small)
    h.free_all()
    assert unit.zm_libc_memory() == libc0


def test_slab_blocks_are_aligned_like_jemalloc():
    h = ZHeap()
    for n in range(1, SLAB_MAX + 1, 7):
        b = h.alloc(n)
        align = 16 if class_size(n) % 16 == 0 else 8
        assert h.address(b) % align == 0, n


def test_blocks_do_not_overlap():
    h = ZHeap()
    rng = random.Random(3)
    blocks = [h.alloc(rng.choice([rng.randrange(0, 129), rng.randrange(0, 2000)]))
              for _ in range(3000)]
    spans = sorted((h.address(b), h.address(b) + h.usable(b)) for b in blocks)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end <= start


def test_calloc_zeroes_a_recycled_slot():
    h = ZHeap()
    b = h.alloc(40)
    h.fill(b, 40, 0xAB)
    h.free(b)
    c = h.alloc(40, zero=True)
    assert h.read(c, 40) == bytes(40)


def test_realloc_within_the_class_keeps_the_pointer():
    h = ZHeap()
    b = h.alloc(17)
    addr = h.address(b)
    h.realloc(b, 24)
    assert h.address(b) == addr
    h.realloc(b, 20)
    assert h.address(b) == addr


def test_realloc_growing_through_every_class_keeps_the_contents():
    h = ZHeap()
    b = h.alloc(1)
    h.fill(b, 1, 7)
    for n in range(2, SLAB_MAX + 200):
        h.realloc(b, n)
        assert h.check(b, n - 1, 7), n
        h.fill(b, n, 7)
        assert h.usable(b) >= n


def test_realloc_shrinking_keeps_the_prefix():
    h = ZHeap()
    b = h.alloc(SLAB_MAX)
    h.fill(b, SLAB_MAX, 9)
    for n in range(SLAB_MAX - 1, -1, -3):
        h.realloc(b, n)
        assert h.check(b, n, 9), n
        assert h.usable(b) == class_size(n)


@pytest.mark.parametrize("small,large", [(1, 600), (100, 5000), (512, 513), (40, 1 << 20)])
def test_realloc_between_slab_and_libc_keeps_the_contents(small, large):
    h = ZHeap()
    base = unit.zm_used_memory()
    b = h.alloc(small)
    h.fill(b, small, 5)
    h.realloc(b, large)
    assert h.check(b, small, 5)
    h.fill(b, large, 6)
    h.realloc(b, small)
    assert h.check(b, small, 6)
    assert h.usable(b) == class_size(small)
    h.free(b)
    assert unit.zm_used_memory() == base


def test_emptied_pages_are_released():
    objsize = 480
    pages0, live0 = slab_class(objsize)
    h = ZHeap()
    blocks = [h.alloc(objsize) for _ in range(5 * per_page(objsize))]
    pages, live = slab_class(objsize)
    assert pages >= 5
    assert live == live0 + len(blocks)
    random.Random(1).shuffle(blocks)
    for b in blocks:
        h.free(b)
    pages, live = slab_class(objsize)
    assert live == live0
    assert pages <= pages0 + 1


def test_alloc_free_at_a_page_boundary_does_not_map_a_page_each_time():
    objsize = 448
    h = ZHeap()
    # Fill whatever room the class has, so the next block opens a page.
    pages0, _ = slab_class(objsize)
    filler = []
    while slab_class(objsize)[0] == pages0:
        filler.append(h.alloc(objsize))
    pages1, _ = slab_class(objsize)
    h.free(filler.pop())
    for _ in range(100):
        b = h.alloc(objsize)
        h.free(b)
        assert slab_class(objsize)[0] == pages1


def test_seeded_random_sequence_keeps_every_block_intact():
    rng = random.Random(12345)
    h = ZHeap()
    base = unit.zm_used_memory()
    live = {}                      # handle -> (size, seed)
    for _ in range(30000):
        op = rng.random()
        if op < 0.45 or not live:
            n = rng.choice([rng.randrange(0, 129), rng.randrange(0, 700),
                            rng.randrange(0, 9000)])
            seed = rng.randrange(256)
            b = h.alloc(n, zero=rng.random() < 0.2)
            assert h.usable(b) >= n
            h.fill(b, n, seed)
            live[b] = (n, seed)
        elif op < 0.7:
            b = rng.choice(list(live))
            n, seed = live[b]
            m = rng.choice([rng.randrange(0, 129), rng.randrange(0, 700),
                            rng.randrange(0, 9000)])
            h.realloc(b, m)
            assert h.check(b, min(n, m), seed)
            h.fill(b, m, seed)
            live[b] = (m, seed)
        else:
            b = rng.choice(list(live))
            n, seed = live.pop(b)
            assert h.check(b, n, seed)
            h.free(b)
    assert unit.zm_used_memory() - base == sum(h.usable(b) for b in live)
    for b, (n, seed) in live.items():
        assert h.check(b, n, seed)
        if n <= SLAB_MAX:
            assert h.usable(b) == class_size(n)
    h.free_all()
    assert unit.zm_used_memory() == base


ops = st.lists(st.tuples(st.sampled_from(["alloc", "calloc", "realloc", "free"]),
                         sizes(), st.integers(0, 10 ** 6)), max_size=200)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_any_sequence_preserves_contents_and_accounting(seq):
    h = ZHeap()
    base = unit.zm_used_memory()
    live = []                      # [handle, size, seed]
    for kind, n, pick in seq:
        if kind in ("alloc", "calloc") or not live:
            b = h.alloc(n, zero=kind == "calloc")
            if kind == "calloc":
                assert h.read(b, n) == bytes(n)
            h.fill(b, n, pick)
            live.append([b, n, pick])
            continue
        entry = live[pick % len(live)]
        b, old, seed = entry
        assert h.check(b, old, seed)
        if kind == "free":
            h.free(b)
            live.remove(entry)
        else:
            h.realloc(b, n)
            assert h.check(b, min(old, n), seed)
            h.fill(b, n, seed)
            entry[1] = n
        assert unit.zm_used_memory() - base == sum(h.usable(e[0]) for e in live)
    for b, n, seed in live:
        assert h.usable(b) >= n
        assert n > SLAB_MAX or h.usable(b) == class_size(n)
        assert h.check(b, n, seed)
    h.free_all()
    assert unit.zm_used_memory() == base


def test_allocator_name_reports_the_slabs():
    assert unit.zm_lib() == "slab+libc"
