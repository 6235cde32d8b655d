"""csrc/dict.c through the pyredis._core.unit.Dict wrapper."""
import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

unit = pytest.importorskip("pyredis._core.unit")
Dict = unit.Dict

SEED = bytes(range(16))


@pytest.fixture(autouse=True)
def fixed_seed_and_resize():
    unit.set_hash_seed(SEED)
    unit.enable_resize()
    yield
    unit.enable_resize()


def keys(n, prefix=b"k"):
    return [prefix + b"%d" % i for i in range(n)]


def filled(n, prefix=b"k"):
    d = Dict()
    for i, k in enumerate(keys(n, prefix)):
        d.add(k, i)
    return d


def finish_rehash(d):
    while d.rehash(1000):
        pass
    assert not d.is_rehashing


def full_scan(d):
    cursor, seen = 0, []
    while True:
        cursor, got = d.scan(cursor)
        seen.extend(got)
        if cursor == 0:
            return seen


# ---------------------------------------------------------------- basics

def test_add_then_find_returns_value():
    d = Dict()
    assert d.add(b"foo", 42)
    assert d.find(b"foo") == 42
    assert d.size == 1


def test_find_missing_key_returns_none():
    d = filled(10)
    assert d.find(b"nope") is None
    assert Dict().find(b"x") is None


def test_add_existing_key_is_refused_and_keeps_value():
    d = Dict()
    d.add(b"foo", 1)
    assert not d.add(b"foo", 2)
    assert d.find(b"foo") == 1
    assert d.size == 1


def test_delete_removes_key():
    d = filled(100)
    assert d.delete(b"k7")
    assert d.find(b"k7") is None
    assert d.size == 99
    d.check_invariants()


def test_delete_missing_key_returns_false():
    d = filled(5)
    assert not d.delete(b"zz")
    assert not Dict().delete(b"zz")


def test_unlink_returns_entry_that_caller_frees():
    d = filled(10)
    assert d.unlink(b"k3") == 3
    assert d.find(b"k3") is None
    assert d.unlink(b"k3") is None


def test_keys_are_binary_safe():
    d = Dict()
    ks = [b"", b"\x00", b"\x00\x00", b"a\x00b", b"a\x00c", bytes(range(256))]
    for i, k in enumerate(ks):
        assert d.add(k, i)
    for i, k in enumerate(ks):
        assert d.find(k) == i
    assert sorted(d.keys()) == sorted(ks)


def test_first_add_allocates_initial_table():
    d = Dict()
    assert d.slots == 0
    d.add(b"a")
    assert d.table_sizes == (4, 0)


# ---------------------------------------------------------------- growth

def test_grows_to_next_power_of_two_when_full():
    d = filled(4)
    assert d.table_sizes == (4, 0)
    d.add(b"fifth")  # used 4 >= size 4: expand to >= 5
    assert d.is_rehashing or d.table_sizes == (8, 0)
    finish_rehash(d)
    assert d.slots == 8


def test_new_keys_go_to_second_table_while_rehashing():
    d = filled(64)
    d.add(b"trigger")
    assert d.is_rehashing
    for i in range(20):
        d.add(b"new%d" % i)
        if not d.is_rehashing:
            break
        assert b"new%d" % i in d.table_keys(1)


def test_invariants_hold_during_grow_rehash():
    d = filled(512)
    d.add(b"trigger")
    assert d.is_rehashing
    rng = random.Random(1)
    live = set(keys(512)) | {b"trigger"}
    steps = 0
    while d.is_rehashing:
        d.rehash(1)
        d.check_invariants()
        op = rng.randrange(3)
        k = b"x%d" % rng.randrange(200)
        if op == 0:
            assert d.add(k) == (k not in live)
            live.add(k)
        elif op == 1:
            assert d.delete(k) == (k in live)
            live.discard(k)
        else:
            assert (d.find(k) is not None) == (k in live)
        d.check_invariants()
        steps += 1
    assert steps > 10
    assert set(d.keys()) == live


def test_invariants_hold_during_shrink_rehash():
    d = filled(2000)
    finish_rehash(d)
    live = set(keys(2000))
    for k in keys(1950):
        d.delete(k)
        live.discard(k)
    finish_rehash(d)
    assert d.needs_shrink()
    assert d.resize()
    assert d.is_rehashing
    assert d.table_sizes == (2048, 64)
    rng = random.Random(2)
    while d.is_rehashing:
        d.rehash(1)
        d.check_invariants()
        k = rng.choice(sorted(live))
        assert d.find(k) is not None
        d.check_invariants()
    assert d.slots == 64
    assert set(d.keys()) == live


def test_rehash_step_visits_at_most_ten_empty_buckets():
    d = filled(1000)
    finish_rehash(d)
    for k in keys(997):
        d.delete(k)
    assert d.resize()
    before = d.rehashidx
    d.rehash(1)
    assert not d.is_rehashing or d.rehashidx - before <= 11


def test_rehash_ms_finishes_rehash():
    d = filled(20000)
    finish_rehash(d)
    for k in keys(19990):
        d.delete(k)
    d.resize()
    moved = d.rehash_ms(1000)
    assert moved % 100 == 0
    assert not d.is_rehashing
    d.check_invariants()


def test_expand_refused_while_rehashing():
    d = filled(4)
    d.add(b"trigger")
    assert d.is_rehashing
    assert not d.expand(1024)


def test_expand_refused_below_used():
    d = filled(100)
    finish_rehash(d)
    assert not d.expand(10)


def test_expand_to_impossible_size_fails_and_table_stays_usable():
    d = filled(10)
    finish_rehash(d)
    assert not d.expand(1 << 62)       # allocation size overflows
    assert not d.expand((1 << 64) - 1)  # no power of two that large
    assert not d.is_rehashing
    d.add(b"after")
    assert d.find(b"after") == 0
    d.check_invariants()


def test_expand_presizes_empty_table():
    d = Dict()
    assert d.expand(1000)
    assert d.table_sizes == (1024, 0)


def test_resize_disabled_grows_only_past_ratio_five():
    d = filled(4)
    unit.disable_resize()
    for k in keys(20, b"more"):  # up to 24 entries in 4 buckets (ratio 6)
        d.add(k)
    assert d.table_sizes == (4, 0)
    d.add(b"one-more")  # 24/4 > 5: forced growth
    assert d.is_rehashing
    assert d.table_sizes == (4, 32)


def test_rehash_steps_wait_while_resize_is_disabled():
    """A child process shares the memory: lookups must not move entries."""
    d = filled(1000)
    finish_rehash(d)
    for k in keys(1100, b"grow"):
        d.add(k)
    assert d.is_rehashing and d.table_sizes[1] == 2 * d.table_sizes[0]
    idx = d.rehashidx
    unit.disable_resize()
    for k in keys(200):
        assert d.find(k) is not None
    assert d.rehashidx == idx
    d.check_invariants()
    unit.enable_resize()
    for k in keys(200):
        d.find(k)
    assert not d.is_rehashing or d.rehashidx > idx


def test_resize_refused_while_disabled():
    d = filled(1000)
    finish_rehash(d)
    for k in keys(990):
        d.delete(k)
    unit.disable_resize()
    assert not d.resize()
    unit.enable_resize()
    assert d.resize()


def test_resize_shrinks_to_smallest_power_of_two():
    d = filled(1000)
    finish_rehash(d)
    for k in keys(900):
        d.delete(k)
    assert d.resize()
    finish_rehash(d)
    assert d.slots == 128


def test_resize_never_goes_below_initial_size():
    d = filled(100)
    finish_rehash(d)
    for k in keys(99):
        d.delete(k)
    d.resize()
    finish_rehash(d)
    assert d.slots == 4


def test_needs_shrink_below_ten_percent_fill():
    d = filled(65)
    finish_rehash(d)
    assert d.slots == 128
    live = keys(65)
    while len(live) > 12:
        d.delete(live.pop())
        assert d.needs_shrink() == (len(live) * 100 // 128 < 10)
    assert d.needs_shrink()


def test_needs_shrink_false_for_initial_size():
    d = filled(1)
    assert not d.needs_shrink()


# ---------------------------------------------------------------- iterators

def test_safe_iterator_sees_both_tables_during_rehash():
    d = filled(300)
    d.add(b"trigger")
    d.rehash(3)
    assert d.is_rehashing
    assert sorted(d.keys()) == sorted(keys(300) + [b"trigger"])


def test_safe_iterator_pauses_rehash_and_allows_delete():
    d = filled(300)
    d.add(b"trigger")
    assert d.is_rehashing
    idx = d.rehashidx
    got = d.keys_deleting()
    assert sorted(got) == sorted(keys(300) + [b"trigger"])
    assert d.size == 0
    assert d.paused == 0
    assert d.rehashidx == idx


def test_unsafe_iterator_lists_all_keys():
    d = filled(50)
    assert sorted(d.keys_unsafe()) == sorted(keys(50))


def test_unsafe_iterator_misuse_aborts():
    code = ("from pyredis._core import unit\n"
            "d = unit.Dict()\n"
            "[d.add(b'k%d' % i) for i in range(10)]\n"
            "d.misuse_unsafe_iterator()\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, "-c", code], env=env,
                          capture_output=True, timeout=60)
    assert proc.returncode != 0
    assert b"assertion failed" in proc.stderr


def test_iterators_on_empty_dict():
    d = Dict()
    assert d.keys() == []
    assert d.keys_unsafe() == []
    assert d.paused == 0


# ---------------------------------------------------------------- destructors

def test_empty_runs_destructor_on_every_entry():
    d = Dict(True)
    for k in keys(100):
        d.add(k)
    before = unit.destructor_calls()
    d.empty()
    assert unit.destructor_calls() - before == 100
    assert d.size == 0 and d.slots == 0
    assert d.add(b"again")


def test_empty_during_rehash_frees_both_tables():
    d = Dict(True)
    for k in keys(64):
        d.add(k)
    d.add(b"trigger")
    assert d.is_rehashing
    before = unit.destructor_calls()
    d.empty()
    assert unit.destructor_calls() - before == 65
    assert not d.is_rehashing


def test_empty_calls_progress_callback():
    d = filled(1000)
    before = unit.empty_callback_calls()
    d.empty(with_callback=True)
    assert unit.empty_callback_calls() > before


def test_release_runs_destructor_on_every_entry():
    d = Dict(True)
    for k in keys(30):
        d.add(k)
    before = unit.destructor_calls()
    d.release()
    assert unit.destructor_calls() - before == 30


def test_delete_runs_destructor():
    d = Dict(True)
    d.add(b"a")
    before = unit.destructor_calls()
    d.delete(b"a")
    assert unit.destructor_calls() - before == 1


def test_no_destructor_without_type():
    d = filled(10)
    before = unit.destructor_calls()
    d.empty()
    assert unit.destructor_calls() == before


# ---------------------------------------------------------------- SCAN

def test_scan_of_empty_dict_returns_zero_cursor():
    assert Dict().scan(0) == (0, [])


def test_scan_returns_every_key_of_a_stable_table():
    d = filled(1000)
    finish_rehash(d)
    assert sorted(set(full_scan(d))) == sorted(keys(1000))


def test_scan_returns_every_key_during_rehash():
    d = filled(512)
    d.add(b"trigger")
    assert d.is_rehashing
    seen = set(full_scan(d))
    assert seen == set(keys(512)) | {b"trigger"}
    assert d.is_rehashing  # scan itself never moves entries


def _churn(d, rng, transient, counter):
    op = rng.randrange(5)
    if op == 0:  # grow
        for _ in range(rng.randrange(1, 300)):
            k = b"t%d" % counter[0]
            counter[0] += 1
            d.add(k)
            transient.append(k)
    elif op == 1:  # shrink
        rng.shuffle(transient)
        for _ in range(rng.randrange(len(transient) + 1)):
            d.delete(transient.pop())
    elif op == 2:
        d.resize()
    elif op == 3:
        d.rehash(rng.randrange(1, 20))
    # op 4: no change


@pytest.mark.parametrize("seed", range(25))
def test_scan_returns_keys_present_throughout_while_table_resizes(seed):
    rng = random.Random(seed)
    d = Dict()
    stable = set(keys(rng.randrange(1, 200), b"s"))
    for k in stable:
        d.add(k)
    transient, counter = [], [0]
    for _ in range(rng.randrange(0, 500)):
        k = b"t%d" % counter[0]
        counter[0] += 1
        d.add(k)
        transient.append(k)

    cursor, seen, calls = 0, set(), 0
    while True:
        cursor, got = d.scan(cursor)
        seen.update(got)
        calls += 1
        if cursor == 0:
            break
        _churn(d, rng, transient, counter)
        d.check_invariants()
    assert stable <= seen
    assert calls > 1


@settings(max_examples=60, deadline=None)
@given(
    nstable=st.integers(1, 150),
    ops=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2**32)), max_size=200),
)
def test_scan_guarantee_under_arbitrary_interleavings(nstable, ops):
    d = Dict()
    stable = set(keys(nstable, b"s"))
    for k in stable:
        d.add(k)
    transient, counter = [], [0]
    cursor, seen, i = 0, set(), 0
    while True:
        cursor, got = d.scan(cursor)
        seen.update(got)
        if cursor == 0:
            break
        if i < len(ops):
            op, arg = ops[i]
            _churn(d, random.Random(arg * 5 + op), transient, counter)
        i += 1
    assert stable <= seen


def test_scan_can_delete_returned_keys():
    d = filled(200)
    cursor = 0
    while True:
        cursor, got = d.scan(cursor)
        for k in got:
            d.delete(k)
        if cursor == 0:
            break
    assert d.size == 0


# ---------------------------------------------------------------- sampling

def test_random_key_of_empty_dict_is_none():
    d = Dict()
    assert d.random_key() is None
    assert d.fair_random_key() is None
    assert d.some_keys(5) == []


def test_random_key_returns_existing_keys_and_covers_all():
    d = filled(40)
    live = set(keys(40))
    drawn = {d.random_key() for _ in range(4000)}
    assert drawn == live


def test_random_key_during_rehash_covers_both_tables():
    d = filled(256)
    d.add(b"trigger")
    live = set(keys(256)) | {b"trigger"}
    drawn = set()
    for _ in range(20000):
        k = d.random_key()
        assert k in live
        drawn.add(k)
    assert drawn == live


def test_random_key_after_shrink_rehash_starts():
    d = filled(2000)
    finish_rehash(d)
    for k in keys(1990):
        d.delete(k)
    d.resize()
    live = set(keys(2000)[1990:])
    for _ in range(200):
        assert d.random_key() in live


def test_fair_random_key_returns_existing_keys_and_covers_all():
    d = filled(40)
    live = set(keys(40))
    drawn = set()
    for _ in range(4000):
        k = d.fair_random_key()
        assert k in live
        drawn.add(k)
    assert drawn == live


def test_some_keys_returns_requested_count_of_existing_keys():
    d = filled(100)
    live = set(keys(100))
    got = d.some_keys(10)
    assert len(got) == 10
    assert set(got) <= live


def test_some_keys_caps_count_at_size():
    d = filled(3)
    got = d.some_keys(50)
    assert len(got) <= 3
    assert set(got) <= set(keys(3))


def test_some_keys_covers_all_keys_over_many_draws():
    d = filled(100)
    drawn = set()
    for _ in range(500):
        drawn.update(d.some_keys(5))
    assert drawn == set(keys(100))


def test_some_keys_while_shrinking_returns_existing_keys():
    d = filled(3000)
    finish_rehash(d)
    for k in keys(2950):
        d.delete(k)
    d.resize()
    live = set(keys(3000)[2950:])
    for _ in range(100):
        assert set(d.some_keys(8)) <= live


# ---------------------------------------------------------------- SipHash

M64 = (1 << 64) - 1


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & M64


def siphash_py(data, key, c=2, d=4):
    """Straight transcription of the published SipHash-c-d description."""
    k0 = int.from_bytes(key[:8], "little")
    k1 = int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rounds(n):
        for _ in range(n):
            v[0] = (v[0] + v[1]) & M64; v[1] = _rotl(v[1], 13); v[1] ^= v[0]
            v[0] = _rotl(v[0], 32)
            v[2] = (v[2] + v[3]) & M64; v[3] = _rotl(v[3], 16); v[3] ^= v[2]
            v[0] = (v[0] + v[3]) & M64; v[3] = _rotl(v[3], 21); v[3] ^= v[0]
            v[2] = (v[2] + v[1]) & M64; v[1] = _rotl(v[1], 17); v[1] ^= v[2]
            v[2] = _rotl(v[2], 32)

    n = len(data)
    full = n - n % 8
    words = [int.from_bytes(data[i:i + 8], "little") for i in range(0, full, 8)]
    words.append(((n & 0xFF) << 56) | int.from_bytes(data[full:], "little"))
    for m in words:
        v[3] ^= m
        rounds(c)
        v[0] ^= m
    v[2] ^= 0xFF
    rounds(d)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


KEY = bytes(range(16))


def test_python_siphash24_matches_published_vectors():
    # Reference vectors of the SipHash paper/implementation (key 00..0f,
    # input 00..(n-1)).
    assert siphash_py(b"", KEY) == 0x726FDB47DD0E0E31
    assert siphash_py(bytes(range(15)), KEY) == 0xA129CA6149BE45E5


@pytest.mark.parametrize("n", range(0, 65))
def test_siphash12_matches_python_oracle_for_every_tail_length(n):
    data = bytes(range(n))
    assert unit.siphash12(data, KEY) == siphash_py(data, KEY, c=1, d=2)


def test_siphash12_matches_python_oracle_for_random_keys_and_inputs():
    rng = random.Random(7)
    for _ in range(200):
        key = bytes(rng.randrange(256) for _ in range(16))
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(300)))
        assert unit.siphash12(data, key) == siphash_py(data, key, c=1, d=2)


def test_siphash12_differs_from_siphash24():
    assert unit.siphash12(b"abc", KEY) != siphash_py(b"abc", KEY)


def test_dict_hash_uses_the_seed():
    other = bytes(range(16, 32))
    assert unit.gen_hash(b"key") == unit.siphash12(b"key", SEED)
    unit.set_hash_seed(other)
    assert unit.gen_hash(b"key") == unit.siphash12(b"key", other)
    unit.set_hash_seed(SEED)


def test_table_stays_consistent_after_reseeding_empty_dict():
    unit.set_hash_seed(bytes(range(100, 116)))
    d = filled(100)
    d.check_invariants()
    assert all(d.find(k) is not None for k in keys(100))
