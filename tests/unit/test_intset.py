"""csrc/intset.c through the pyredis._core.unit.IntSet wrapper: the blob
must be Redis's intset serialization byte for byte."""
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

unit = pytest.importorskip("pyredis._core.unit")
IntSet = unit.IntSet

FMT = {2: "h", 4: "i", 8: "q"}


def expected_blob(values, enc):
    values = sorted(set(values))
    return struct.pack("<II", enc, len(values)) + b"".join(
        struct.pack("<" + FMT[enc], v) for v in values)


def build(values):
    s = IntSet()
    for v in values:
        s.add(v)
    return s


def test_new_set_is_empty_with_16_bit_encoding():
    assert IntSet().blob() == struct.pack("<II", 2, 0)


def test_small_values_are_stored_as_16_bit_sorted():
    s = build([5, -3, 100, 7])
    assert s.blob() == expected_blob([5, -3, 100, 7], 2)


def test_add_reports_whether_value_was_new():
    s = IntSet()
    assert s.add(1)
    assert not s.add(1)
    assert len(s) == 1


def test_value_over_16_bits_upgrades_every_element_to_32_bits():
    s = build([1, 2, 3])
    s.add(40000)
    assert s.blob() == expected_blob([1, 2, 3, 40000], 4)


def test_negative_value_upgrade_goes_first():
    s = build([1, 2, 3])
    s.add(-40000)
    assert s.blob() == expected_blob([-40000, 1, 2, 3], 4)


def test_value_over_32_bits_upgrades_to_64_bits():
    s = build([-5, 70000])
    s.add(2 ** 40)
    assert s.blob() == expected_blob([-5, 70000, 2 ** 40], 8)


def test_upgrade_straight_from_16_to_64_bits():
    s = build([-1, 0, 1])
    s.add(-(2 ** 63))
    assert s.blob() == expected_blob([-(2 ** 63), -1, 0, 1], 8)


def test_encoding_never_shrinks_on_remove():
    s = build([1, 2 ** 40])
    assert s.remove(2 ** 40)
    assert s.blob() == expected_blob([1], 8)


def test_boundaries_of_each_encoding():
    assert unit.intset_value_encoding(32767) == 2
    assert unit.intset_value_encoding(-32768) == 2
    assert unit.intset_value_encoding(32768) == 4
    assert unit.intset_value_encoding(-32769) == 4
    assert unit.intset_value_encoding(2 ** 31 - 1) == 4
    assert unit.intset_value_encoding(-(2 ** 31)) == 4
    assert unit.intset_value_encoding(2 ** 31) == 8
    assert unit.intset_value_encoding(-(2 ** 31) - 1) == 8


def test_find_value_wider_than_encoding_is_absent():
    s = build([1, 2])
    assert not s.find(2 ** 40)
    assert not s.remove(2 ** 40)


def test_remove_missing_value_reports_false():
    s = build([1, 3])
    assert not s.remove(2)
    assert s.tolist() == [1, 3]


def test_get_out_of_range_is_none():
    s = build([4])
    assert s.get(0) == 4
    assert s.get(1) is None


def test_min_max_and_random_member():
    s = build([9, -2, 5])
    assert s.min() == -2 and s.max() == 9
    assert {s.random() for _ in range(200)} == {9, -2, 5}


def test_copy_is_independent():
    s = build([1, 2])
    c = s.copy()
    c.add(3)
    assert s.tolist() == [1, 2] and c.tolist() == [1, 2, 3]


def test_validate_accepts_well_formed_blobs():
    for enc in (2, 4, 8):
        assert unit.intset_validate(expected_blob([1, 2, 3], enc))


def test_validate_rejects_bad_encoding_size_order_and_empty():
    good = expected_blob([1, 2, 3], 2)
    assert not unit.intset_validate(struct.pack("<II", 3, 1) + b"\0\0\0")
    assert not unit.intset_validate(good[:-1])
    assert not unit.intset_validate(good + b"\0")
    assert not unit.intset_validate(struct.pack("<II", 2, 0))
    assert not unit.intset_validate(b"\2\0\0")
    unsorted = struct.pack("<IIhh", 2, 2, 5, 1)
    assert not unit.intset_validate(unsorted)
    assert unit.intset_validate(unsorted, deep=False)
    dup = struct.pack("<IIhh", 2, 2, 5, 5)
    assert not unit.intset_validate(dup)


def test_validate_rejects_huge_length():
    assert not unit.intset_validate(struct.pack("<II", 8, 0xFFFFFFFF) + b"\0" * 8)


INTS = st.one_of(st.integers(-40, 40), st.integers(-(2 ** 63), 2 ** 63 - 1),
                 st.sampled_from([32767, 32768, -32768, -32769, 2 ** 31, -(2 ** 31) - 1]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), INTS), max_size=60))
def test_random_ops_match_python_set_model(ops):
    s, model, enc = IntSet(), set(), 2
    for is_add, v in ops:
        if is_add:
            assert s.add(v) == (v not in model)
            model.add(v)
            enc = max(enc, unit.intset_value_encoding(v))
        else:
            assert s.remove(v) == (v in model)
            model.discard(v)
        assert len(s) == len(model)
    assert s.tolist() == sorted(model)
    assert s.blob() == expected_blob(model, enc)
    for v in list(model)[:10]:
        assert s.find(v)
    if model:
        assert unit.intset_validate(s.blob())


def test_many_random_values_stay_sorted():
    rnd = random.Random(7)
    s, model = IntSet(), set()
    for _ in range(3000):
        v = rnd.randint(-(2 ** 20), 2 ** 20)
        s.add(v)
        model.add(v)
        if rnd.random() < 0.3:
            x = rnd.choice(sorted(model))
            s.remove(x)
            model.discard(x)
    assert s.tolist() == sorted(model)
