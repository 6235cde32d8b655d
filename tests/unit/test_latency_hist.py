"""csrc/latency_hist.c: HDR-histogram buckets (2 significant digits), the
value at a percentile and the log-scale buckets LATENCY HISTOGRAM prints."""
import random

from pyredis._core import unit


def test_small_values_are_exact():
    for v in (1, 2, 127, 200, 255):
        assert unit.lhist_summary([v], [50.0])[1] == [v]


def test_a_value_reports_the_highest_of_its_sub_bucket():
    # 256..511 in steps of 2, 512..1023 in steps of 4, 1024.. in steps of 8
    assert unit.lhist_summary([256], [50.0])[1] == [257]
    assert unit.lhist_summary([1000], [50.0])[1] == [1003]   # 1 us as Redis prints 1.003
    assert unit.lhist_summary([1024], [50.0])[1] == [1031]
    assert unit.lhist_summary([10 ** 9], [100.0])[1][0] >= 10 ** 9


def test_values_outside_the_range_are_clamped():
    total, pct, _ = unit.lhist_summary([0, -5, 10 ** 12], [0.0, 100.0])
    assert total == 3
    assert pct[0] == 1 and pct[1] >= 10 ** 9


def test_percentiles_follow_the_rank():
    values = list(range(1000, 101000, 1000))        # 1..100 us
    random.shuffle(values)
    total, (p50, p99, p100), _ = unit.lhist_summary(values, [50.0, 99.0, 100.0])
    assert total == 100
    # within the 2-digit precision of the true ranks
    assert 50000 <= p50 < 50000 * 1.01
    assert 99000 <= p99 < 99000 * 1.01
    assert 100000 <= p100 < 100000 * 1.01


def test_log_buckets_double_from_1024_ns_and_end_with_everything():
    total, _, steps = unit.lhist_summary([500, 1500, 3000, 3000, 70000], [])
    levels = [v for v, _ in steps]
    # 1024 ns and its doublings, each as the highest value of its sub-bucket
    assert levels == [(1 << (10 + k)) + (1 << (3 + k)) - 1 for k in range(len(levels))]
    assert [c for _, c in steps][:3] == [1, 2, 4]
    assert steps[-1][1] == total == 5
    assert steps[-1][0] >= 70000 and steps[-2][0] < 70000


def test_an_empty_histogram_has_no_buckets():
    assert unit.lhist_summary([], []) == (0, [], [])
