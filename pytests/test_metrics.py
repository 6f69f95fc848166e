"""MAP@12 exactly as the competition defines it, on hand-computed cases."""

import pytest

from hm_warehouse.metrics import average_precision_at_k, ranking_metrics


def test_perfect_list_scores_one():
    assert average_precision_at_k({"a", "b"}, ["a", "b", "x"]) == 1.0


def test_hand_computed_average_precision():
    # hits at ranks 1 and 3: (1/1 + 2/3) / min(3, 12)
    assert average_precision_at_k({"a", "b", "c"}, ["a", "x", "b", "y"]) == pytest.approx(
        (1 + 2 / 3) / 3)


def test_only_first_twelve_count():
    predicted = [f"x{i}" for i in range(12)] + ["a"]
    assert average_precision_at_k({"a"}, predicted) == 0.0
    assert average_precision_at_k({"a"}, predicted[:11] + ["a"]) == pytest.approx(1 / 12)


def test_denominator_is_capped_at_twelve():
    actual = {f"a{i}" for i in range(20)}
    predicted = sorted(actual)[:12]
    assert average_precision_at_k(actual, predicted) == 1.0


def test_repeated_prediction_counts_once():
    assert average_precision_at_k({"a", "b"}, ["a", "a", "b"]) == 1.0


def test_mean_over_buyers_only_and_missing_predictions_score_zero():
    actual = {"c1": ["a"], "c2": ["b", "c"], "c3": []}
    predicted = {"c1": ["a"], "c3": ["z"]}
    m = ranking_metrics(actual, predicted)
    assert m["customers"] == 2
    assert m["map"] == pytest.approx(0.5)
    assert m["recall"] == pytest.approx(0.5)
    assert m["precision"] == pytest.approx(1 / 24)
    assert m["hit_rate"] == pytest.approx(0.5)
