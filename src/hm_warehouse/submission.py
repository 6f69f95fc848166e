"""The final top-12 per customer: ranker picks first, then the popular list
of the customer's age bucket, then the overall popular list, so every
customer gets exactly 12 distinct articles (cold-start customers included)."""

from __future__ import annotations

import numpy as np
import pandas as pd

K = 12


def fill_top_k(
    customers: pd.DataFrame,
    ranked: pd.DataFrame,
    bucket_popular: pd.DataFrame,
    popular: list[str],
    k: int = K,
) -> pd.DataFrame:
    """Long-form top-k: one row per (customer_id, prediction_rank).

    customers: customer_id, age_bucket (every customer to predict).
    ranked: customer_id, article_id, rank (model picks, best first).
    bucket_popular: age_bucket, article_id, rank.
    popular: overall popular articles, best first (at least k of them).
    """
    if len(set(popular)) < k:
        raise ValueError(f"need at least {k} distinct popular articles, got {len(set(popular))}")
    fill = bucket_popular.rename(columns={"rank": "fill_rank"})
    bucket_rows = customers.merge(fill, on="age_bucket", how="inner")[
        ["customer_id", "article_id", "fill_rank"]]
    overall = pd.DataFrame({"article_id": popular, "fill_rank": np.arange(len(popular))})
    overall_rows = customers[["customer_id"]].merge(overall, how="cross")
    candidates = pd.concat([
        ranked.assign(tier=0, order=ranked["rank"])[["customer_id", "article_id", "tier", "order"]],
        bucket_rows.assign(tier=1, order=bucket_rows["fill_rank"])[
            ["customer_id", "article_id", "tier", "order"]],
        overall_rows.assign(tier=2, order=overall_rows["fill_rank"])[
            ["customer_id", "article_id", "tier", "order"]],
    ], ignore_index=True)
    candidates = candidates[candidates["customer_id"].isin(customers["customer_id"])]
    candidates = candidates.sort_values(["customer_id", "tier", "order", "article_id"],
                                        kind="stable")
    candidates = candidates.drop_duplicates(["customer_id", "article_id"], keep="first")
    candidates["prediction_rank"] = candidates.groupby("customer_id").cumcount() + 1
    out = candidates[candidates["prediction_rank"] <= k]
    return out[["customer_id", "article_id", "prediction_rank", "tier"]].rename(
        columns={"tier": "filled_from"}).replace(
        {"filled_from": {0: "ranker", 1: "popular_age_bucket", 2: "popular"}}).reset_index(
        drop=True)


def prediction_strings(rows: pd.DataFrame) -> pd.DataFrame:
    """Kaggle format: customer_id, prediction (space-separated, best first)."""
    rows = rows.sort_values(["customer_id", "prediction_rank"], kind="stable")
    return rows.groupby("customer_id", sort=True)["article_id"].agg(" ".join).reset_index(
        name="prediction")
