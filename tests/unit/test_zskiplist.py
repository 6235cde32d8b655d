"""csrc/zskiplist: order, ranks and spans against a sorted Python model."""
import random

from pyredis._core.unit import Skiplist


def _model_check(sl, model):
    items = sl.items()
    assert items == sorted(model)
    for i, (s, e) in enumerate(items, 1):
        assert sl.rank(s, e) == i
        assert sl.by_rank(i) == (s, e)
    assert sl.by_rank(len(items) + 1) is None


def test_random_inserts_and_deletes_keep_spans():
    rnd = random.Random(7)
    sl, model = Skiplist(), set()
    for step in range(3000):
        if model and rnd.random() < 0.4:
            s, e = rnd.choice(sorted(model))
            assert sl.delete(s, e)
            model.discard((s, e))
        else:
            e = b"m%d" % rnd.randrange(500)
            if any(m == e for _, m in model):
                continue
            s = float(rnd.randrange(50))
            sl.insert(s, e)
            model.add((s, e))
        if step % 300 == 0:
            _model_check(sl, model)
    _model_check(sl, model)


def test_update_score_moves_node():
    sl, model = Skiplist(), {}
    for i in range(200):
        sl.insert(float(i), b"e%d" % i)
        model[b"e%d" % i] = float(i)
    rnd = random.Random(3)
    for _ in range(500):
        e = rnd.choice(list(model))
        new = rnd.uniform(-10, 300)
        sl.update(model[e], e, new)
        model[e] = new
    _model_check(sl, {(s, e) for e, s in model.items()})


def test_equal_scores_order_by_member_bytes():
    sl = Skiplist()
    for e in (b"b", b"a", b"ab", b"", b"\xff"):
        sl.insert(1.0, e)
    assert [e for _, e in sl.items()] == [b"", b"a", b"ab", b"b", b"\xff"]


def test_delete_missing_returns_false():
    sl = Skiplist()
    sl.insert(1.0, b"a")
    assert not sl.delete(2.0, b"a")
    assert not sl.delete(1.0, b"b")
    assert sl.rank(1.0, b"b") == 0
