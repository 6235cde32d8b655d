"""csrc/stream: the node format byte for byte, iteration, deletion and
trimming against a Python model, IDs, consumer groups and PELs."""
import random

from pyredis._core.unit import Listpack, Stream, stream_id_encode

U64 = 2 ** 64 - 1


def lp_of(*values):
    lp = Listpack()
    for v in values:
        lp.append(v)
    return lp.blob()


def test_node_layout_is_redis_stream_format():
    s = Stream()
    assert s.add([(b"a", b"1"), (b"b", b"x")], (5, 0)) == (5, 0)
    assert s.add([(b"a", b"2"), (b"b", b"y")], (5, 3)) == (5, 3)
    assert s.add([(b"c", b"z")], (7, 1)) == (7, 1)
    [(master, blob)] = s.nodes()
    assert master == (5, 0)
    assert blob == lp_of(3, 0, 2, b"a", b"b", 0,           # master entry
                         2, 0, 0, 1, b"x", 5,               # SAMEFIELDS: values only
                         2, 0, 3, 2, b"y", 5,
                         0, 2, 1, 1, b"c", b"z", 6)         # own fields, lp-count 6


def test_deleted_entries_stay_flagged_until_the_node_empties():
    s = Stream()
    s.add([(b"a", b"1")], (1, 0))
    s.add([(b"a", b"2")], (2, 0))
    assert s.delete((1, 0)) and not s.delete((1, 0))
    [(_, blob)] = s.nodes()
    assert blob == lp_of(1, 1, 1, b"a", 0, 3, 0, 0, 1, 4, 2, 1, 0, 2, 4)
    assert s.range(tombstones=True)[0][0] == (1, 0)
    assert s.delete((2, 0))
    assert s.nodes() == [] and s.length == 0


def test_ids_must_grow_and_ms_star_picks_next_sequence():
    s = Stream()
    assert s.add([(b"f", b"v")], (3, 5)) == (3, 5)
    assert s.add([(b"f", b"v")], (3, 5)) == -1
    assert s.add([(b"f", b"v")], (3, 4)) == -1
    assert s.add([(b"f", b"v")], (3, 0), seq_given=False) == (3, 6)
    assert s.add([(b"f", b"v")], (2, 0), seq_given=False) == -1
    assert s.add([(b"f", b"v")], now_ms=1) == (3, 7)          # clock behind: last + 1
    assert s.add([(b"f", b"v")], now_ms=10) == (10, 0)
    assert s.add([(b"f", b"v")], (11, U64)) == (11, U64)
    assert s.add([(b"f", b"v")], now_ms=5) == (12, 0)          # sequence overflow moves ms
    assert s.add([(b"f", b"v")], (U64, U64)) == (U64, U64)
    assert s.add([(b"f", b"v")], now_ms=5) == -1
    assert s.add([(b"f", b"v")], (U64, 0), seq_given=False) == -1


def test_node_limits_split_nodes():
    s = Stream()
    for i in range(1, 11):
        s.add([(b"f", b"v")], (i, 0), max_entries=3)
    assert [m for m, _ in s.nodes()] == [(1, 0), (4, 0), (7, 0), (10, 0)]
    t = Stream()
    for i in range(1, 11):
        t.add([(b"f", b"x" * 30)], (i, 0), max_bytes=100, max_entries=0)
    assert len(t.nodes()) > 2 and all(len(b) < 100 + 40 for _, b in t.nodes())


def test_random_operations_match_a_model():
    rnd = random.Random(11)
    for max_entries in (1, 2, 5, 100):
        s, model = Stream(), []
        nxt = 1
        for step in range(1500):
            op = rnd.random()
            trimmed = False
            if op < 0.55:
                nxt += rnd.randrange(1, 3)
                fields = [(b"f%d" % rnd.randrange(3), b"%d" % rnd.randrange(1000))
                          for _ in range(rnd.randrange(1, 3))]
                seq = rnd.randrange(3)
                assert s.add(fields, (nxt, seq), max_entries=max_entries) == (nxt, seq)
                model.append(((nxt, seq), fields))
            elif op < 0.8 and model:
                idx = rnd.randrange(len(model))
                assert s.delete(model[idx][0])
                del model[idx]
            elif op < 0.85:
                n = rnd.randrange(len(model) + 1)
                approx = rnd.random() < 0.5
                removed = s.trim("maxlen", n, approx=approx)
                trimmed = removed > 0
                if not approx:
                    assert removed == max(0, len(model) - n)
                del model[:removed]
            elif op < 0.9 and model:
                cut = rnd.choice(model)[0]
                removed = s.trim("minid", minid=cut)
                trimmed = removed > 0
                assert all(i >= cut for i, _ in model[removed:])
                del model[:removed]
            else:
                a, b = sorted(rnd.choice(model)[0] if model else (0, 0) for _ in range(2))
                want = [e for e in model if a <= e[0] <= b]
                assert s.range(a, b) == want
                assert s.range(a, b, rev=True) == want[::-1]
            assert s.length == len(model)
            if trimmed:
                # a trim that removed entries resets first_id (deletion leaves it to XDEL)
                assert s.first_id == (model[0][0] if model else (0, 0))
        assert s.range() == model
        assert s.range(rev=True) == model[::-1]
        assert s.valid_nodes()


def test_approx_trim_removes_whole_nodes_only_within_limit():
    s = Stream()
    for i in range(1, 31):
        s.add([(b"f", b"v")], (i, 0), max_entries=10)
    assert s.trim("maxlen", 5, approx=True, limit=15) == 10
    assert s.length == 20
    assert s.trim("maxlen", 5, approx=True) == 10
    assert s.trim("maxlen", 5, approx=True) == 0
    assert s.length == 10 and s.first_id == (21, 0)
    assert s.trim("minid", minid=(25, 0)) == 4
    assert s.range()[0][0] == (25, 0) and s.valid_nodes()


def test_rax_node_count_follows_key_prefixes():
    s = Stream()
    assert s.rax_nodes() == 1
    s.add([(b"f", b"v")], (1, 0))
    assert s.rax_nodes() == 2
    s.add([(b"f", b"v")], (1, 1), max_entries=1)
    # shared 15-byte prefix, a branch on the last byte, two leaves
    assert s.rax_nodes() == 4
    s.add([(b"f", b"v")], (2, 0), max_entries=1)
    # prefix 7 bytes, branch on byte 8: (1: branch on byte 16 + 2 leaves, with a
    # compressed run between) and (2: compressed run + leaf)
    assert s.rax_nodes() == 1 + 1 + (1 + 1 + 2) + (1 + 1)


def test_id_encoding_is_big_endian():
    assert stream_id_encode(1, 2) == b"\x00" * 7 + b"\x01" + b"\x00" * 7 + b"\x02"


def test_groups_and_consumers_sorted_by_bytes():
    s = Stream()
    for g in (b"b", b"ab", b"a", b"", b"B"):
        assert s.create_group(g)
    assert not s.create_group(b"a")
    assert s.groups() == [b"", b"B", b"a", b"ab", b"b"]
    for c in (b"zz", b"z", b"Z", b"za"):
        assert s.create_consumer(b"a", c)
    assert not s.create_consumer(b"a", b"z")
    assert [c for c, _ in s.consumers(b"a")] == [b"Z", b"z", b"za", b"zz"]
    assert s.destroy_group(b"ab") and not s.destroy_group(b"ab")
    assert s.groups() == [b"", b"B", b"a", b"b"]


def test_pel_is_shared_between_group_and_consumer():
    s = Stream()
    s.create_group(b"g")
    s.create_consumer(b"g", b"c1")
    s.create_consumer(b"g", b"c2")
    for i in (5, 1, 3):
        assert s.deliver(b"g", b"c1", (i, 0))
    assert s.deliver(b"g", b"c2", (2, 0))
    assert not s.deliver(b"g", b"c2", (3, 0))
    assert s.pel(b"g") == [((1, 0), b"c1"), ((2, 0), b"c2"), ((3, 0), b"c1"), ((5, 0), b"c1")]
    assert s.ack(b"g", (3, 0)) and not s.ack(b"g", (3, 0))
    assert dict(s.consumers(b"g"))[b"c1"] == [(1, 0), (5, 0)]
    d = s.dup()
    assert s.del_consumer(b"g", b"c1") == 2
    assert s.pel(b"g") == [((2, 0), b"c2")]
    assert d.pel(b"g") == [((1, 0), b"c1"), ((2, 0), b"c2"), ((5, 0), b"c1")]
    assert dict(d.consumers(b"g"))[b"c1"] == [(1, 0), (5, 0)]
