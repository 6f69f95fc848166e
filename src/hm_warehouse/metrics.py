"""Ranking metrics exactly as the H&M Kaggle competition scores them.

MAP@12: for every customer who bought at least one article in the target
week, average precision at 12 of the predicted list, divided by
min(number of distinct articles bought, 12); then the mean over those
customers. Customers who bought nothing are not scored. Predictions are
deduplicated keeping the first occurrence (Kaggle counts a repeated id once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

K = 12


def average_precision_at_k(actual: Iterable[str], predicted: Sequence[str], k: int = K) -> float:
    """Average precision at k of one customer's predicted list."""
    truth = set(actual)
    if not truth:
        return 0.0
    hits = 0
    score = 0.0
    seen: set[str] = set()
    rank = 0
    for item in predicted:
        if item in seen:
            continue
        seen.add(item)
        rank += 1
        if rank > k:
            break
        if item in truth:
            hits += 1
            score += hits / rank
    return score / min(len(truth), k)


def ranking_metrics(
    actual: Mapping[str, Iterable[str]],
    predicted: Mapping[str, Sequence[str]],
    k: int = K,
) -> dict[str, float]:
    """MAP, recall, precision and hit rate at k over customers with purchases.

    `actual` maps customer -> articles bought in the target week; `predicted`
    maps customer -> ranked articles. A buyer with no prediction scores 0.
    """
    n = 0
    total_ap = total_recall = total_precision = total_hit = 0.0
    for customer, bought in actual.items():
        truth = set(bought)
        if not truth:
            continue
        n += 1
        ranked = list(dict.fromkeys(predicted.get(customer, ())))[:k]
        hits = len(truth.intersection(ranked))
        total_ap += average_precision_at_k(truth, ranked, k)
        total_recall += hits / len(truth)
        total_precision += hits / k
        total_hit += 1.0 if hits else 0.0
    if n == 0:
        return {"map": 0.0, "recall": 0.0, "precision": 0.0, "hit_rate": 0.0, "customers": 0}
    return {
        "map": total_ap / n,
        "recall": total_recall / n,
        "precision": total_precision / n,
        "hit_rate": total_hit / n,
        "customers": n,
    }
