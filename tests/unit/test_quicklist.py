"""csrc/quicklist.c: node sizing per list-max-listpack-size and random
operations against a Python list model."""
import random

import pytest

from pyredis._core.unit import Quicklist


def norm(v):
    try:
        i = int(v)
        if str(i).encode() == v and -(2**63) <= i < 2**63:
            return i
    except ValueError:
        pass
    return v


def test_small_list_is_one_node():
    ql = Quicklist(-2)
    for i in range(100):
        ql.push(b"item%d" % i)
    assert len(ql.nodes()) == 1


@pytest.mark.parametrize("fill, limit", [(-1, 4096), (-2, 8192), (-3, 16384), (-4, 32768), (-5, 65536)])
def test_negative_fill_caps_node_bytes(fill, limit):
    ql = Quicklist(fill)
    for i in range(5000):
        ql.push(b"v" * 50)
    nodes = ql.nodes()
    assert len(nodes) > 1
    assert all(sz <= limit for _, sz in nodes)
    assert all(sz > limit - 200 for _, sz in nodes[:-1])


@pytest.mark.parametrize("fill", [1, 5, 128])
def test_positive_fill_caps_node_entries(fill):
    ql = Quicklist(fill)
    for i in range(1000):
        ql.push(b"%d" % i, head=i % 2 == 0)
    nodes = ql.nodes()
    assert all(c <= fill for c, _ in nodes)
    assert sum(c for c, _ in nodes) == 1000


def test_positive_fill_still_has_a_size_limit():
    ql = Quicklist(1000)
    for i in range(100):
        ql.push(b"z" * 1000)
    assert all(sz <= 8192 for _, sz in ql.nodes())


def test_large_element_gets_its_own_node():
    ql = Quicklist(-1)
    ql.push(b"a")
    ql.push(b"b" * 10000)
    ql.push(b"c")
    assert [c for c, _ in ql.nodes()] == [1, 1, 1]
    assert ql.to_list() == [b"a", b"b" * 10000, b"c"]


def test_insert_into_full_middle_node_splits_it():
    ql = Quicklist(4)
    for i in range(8):
        ql.push(b"e%d" % i)
    ql.insert(1, b"new", after=True)
    ql.nodes()
    assert ql.to_list() == [b"e0", b"e1", b"new", b"e2", b"e3", b"e4", b"e5", b"e6", b"e7"]


def test_iteration_backward_from_negative_index():
    ql = Quicklist(3)
    for i in range(10):
        ql.push(b"x%d" % i)
    assert ql.iterate(-3, backward=True) == [b"x7", b"x6", b"x5", b"x4", b"x3", b"x2", b"x1", b"x0"]
    assert ql.iterate(10) == []


def test_dup_is_deep():
    ql = Quicklist(3)
    for i in range(10):
        ql.push(b"x%d" % i)
    c = ql.dup()
    ql.pop()
    assert len(c) == 10 and c.to_list()[-1] == b"x9"
    c.nodes()


def rand_value(rng):
    k = rng.random()
    if k < 0.3:
        return b"%d" % rng.randint(-100000, 100000)
    if k < 0.35:
        return b"x" * rng.choice([3000, 9000])
    return rng.choice([b"a", b"b", b"c", b"hello", b"", b"0123"])


@pytest.mark.parametrize("fill", [-1, -2, 1, 2, 7])
def test_random_operations_match_a_python_list(fill):
    rng = random.Random(fill + 100)
    ql, model = Quicklist(fill), []
    for step in range(3000):
        op = rng.random()
        v = rand_value(rng)
        if op < 0.2 or not model:
            head = rng.random() < 0.5
            ql.push(v, head)
            if head:
                model.insert(0, norm(v))
            else:
                model.append(norm(v))
        elif op < 0.3:
            head = rng.random() < 0.5
            assert ql.pop(head) == model.pop(0 if head else -1)
        elif op < 0.4:
            i = rng.randrange(-len(model), len(model))
            assert ql.index(i) == model[i]
        elif op < 0.5:
            i = rng.randrange(-len(model), len(model))
            ql.replace(i, v)
            model[i] = norm(v)
        elif op < 0.65:
            i = rng.randrange(len(model))
            after = rng.random() < 0.5
            ql.insert(i, v, after)
            model.insert(i + 1 if after else i, norm(v))
        elif op < 0.75:
            i = rng.randrange(-len(model), len(model))
            n = rng.randrange(5)
            j = i % len(model)
            assert ql.del_range(i, n) == len(model[j:j + n])
            del model[j:j + n]
        elif op < 0.9:
            start = rng.randrange(len(model))
            backward = rng.random() < 0.5
            limit = rng.randrange(3)
            target = norm(v)
            idx = list(range(start, -1, -1)) if backward else list(range(start, len(model)))
            hits = [i for i in idx if model[i] == target]
            if limit:
                hits = hits[:limit]
            assert ql.remove(v, start, backward, limit) == len(hits)
            for i in sorted(hits, reverse=True):
                del model[i]
        else:
            start = rng.randrange(-len(model), len(model))
            backward = rng.random() < 0.5
            j = start % len(model)
            expect = model[j::-1] if backward else model[j:]
            assert ql.iterate(start, backward) == expect
        if step % 100 == 0:
            ql.nodes()
            assert ql.to_list() == model
        assert len(ql) == len(model)
    ql.nodes()
    assert ql.to_list() == model
