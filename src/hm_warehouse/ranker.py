"""LightGBM LambdaRank ranker over the candidate ABTs.

Train on the training weeks with early stopping on the validation week, then
refit on training + validation weeks with the best number of trees for the
prediction week. Scoring runs over record batches so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow as pa

KEYS = ("customer_id", "week_index", "article_id")
NOT_FEATURES = {*KEYS, "ml_split", "label"}


@dataclass(frozen=True)
class RankerParams:
    n_estimators: int = 400
    learning_rate: float = 0.05
    num_leaves: int = 63
    min_child_samples: int = 50
    early_stopping_rounds: int = 40
    seed: int = 42
    threads: int = 2


def feature_columns(columns: Iterable[str]) -> list[str]:
    return [c for c in columns if c not in NOT_FEATURES]


def _matrix(df: pd.DataFrame, features: list[str]) -> np.ndarray:
    return df[features].astype("float32").to_numpy(dtype=np.float32, na_value=np.nan)


def _grouped(df: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows sorted by query (customer-week) and the size of each query."""
    df = df.sort_values(["week_index", "customer_id", "article_id"], kind="stable")
    sizes = df.groupby(["week_index", "customer_id"], sort=False).size().to_numpy()
    return df.reset_index(drop=True), sizes


def _with_positives(df: pd.DataFrame) -> pd.DataFrame:
    """Queries with no bought candidate teach LambdaRank nothing: drop them."""
    has = df.groupby(["week_index", "customer_id"])["label"].transform("max") > 0
    return df[has]


def _model(params: RankerParams, n_estimators: int) -> lgb.LGBMRanker:
    return lgb.LGBMRanker(
        objective="lambdarank", n_estimators=n_estimators, learning_rate=params.learning_rate,
        num_leaves=params.num_leaves, min_child_samples=params.min_child_samples,
        random_state=params.seed, n_jobs=params.threads, deterministic=True,
        force_row_wise=True, verbose=-1, lambdarank_truncation_level=20,
    )


def train_ranker(train: pd.DataFrame, valid: pd.DataFrame, params: RankerParams):
    """Fit on `train` with early stopping on `valid` (MAP@12 of LightGBM).

    Returns (booster, best_iteration, features)."""
    features = feature_columns(train.columns)
    train, train_sizes = _grouped(_with_positives(train))
    valid, valid_sizes = _grouped(_with_positives(valid))
    model = _model(params, params.n_estimators)
    model.fit(
        _matrix(train, features), train["label"].to_numpy(), group=train_sizes,
        feature_name=features,
        eval_set=[(_matrix(valid, features), valid["label"].to_numpy())],
        eval_group=[valid_sizes], eval_at=[12], eval_metric="map",
        callbacks=[lgb.early_stopping(params.early_stopping_rounds, verbose=False)],
    )
    best = model.best_iteration_ or params.n_estimators
    return model.booster_, int(best), features


def refit_ranker(data: pd.DataFrame, params: RankerParams, n_estimators: int, features):
    """Fit on all labelled weeks with a fixed number of trees."""
    data, sizes = _grouped(_with_positives(data))
    model = _model(params, n_estimators)
    model.fit(_matrix(data, features), data["label"].to_numpy(), group=sizes,
              feature_name=features)
    return model.booster_


def score_batches(booster: lgb.Booster, batches: Iterable, features: list[str]) -> Iterator[pd.DataFrame]:
    """Score candidate rows batch by batch: (customer_id, week_index, article_id, score)."""
    for batch in batches:
        df = batch.to_pandas() if isinstance(batch, pa.RecordBatch | pa.Table) else batch
        if df.empty:
            continue
        out = df[list(KEYS)].copy()
        out["score"] = booster.predict(_matrix(df, features), num_threads=2)
        yield out


def rank_scores(scores: pd.DataFrame, k: int | None = None) -> pd.DataFrame:
    """Add rank (1 = best) within each customer-week; keep the top k."""
    scores = scores.sort_values(["week_index", "customer_id", "score", "article_id"],
                                ascending=[True, True, False, True], kind="stable")
    scores["rank"] = scores.groupby(["week_index", "customer_id"]).cumcount() + 1
    return scores if k is None else scores[scores["rank"] <= k]


def feature_importance(booster: lgb.Booster) -> pd.DataFrame:
    names = booster.feature_name()
    gain = booster.feature_importance("gain")
    split = booster.feature_importance("split")
    df = pd.DataFrame({"feature": names, "importance_gain": gain.astype(float),
                       "importance_split": split.astype(np.int64)})
    df["gain_share"] = df["importance_gain"] / max(df["importance_gain"].sum(), 1e-12)
    df = df.sort_values("importance_gain", ascending=False, kind="stable")
    df["importance_rank"] = np.arange(1, len(df) + 1)
    return df.reset_index(drop=True)



def top_k_stream(booster: lgb.Booster, batches: Iterable, features: list[str],
                 k: int) -> Iterator[pd.DataFrame]:
    """Score batches of candidates sorted by (week_index, customer_id) and
    yield each customer-week's top k with its rank. A customer-week cut by
    a batch boundary is held back until its last rows arrive, so ranks are
    exact and memory holds one batch plus the kept top k."""
    carry: pd.DataFrame | None = None
    for scored in score_batches(booster, batches, features):
        if carry is not None:
            scored = pd.concat([carry, scored], ignore_index=True)
        last = scored.iloc[-1]
        tail = (scored["week_index"] == last["week_index"]) & (
            scored["customer_id"] == last["customer_id"])
        carry = scored[tail]
        done = scored[~tail]
        if not done.empty:
            yield rank_scores(done, k)
    if carry is not None and not carry.empty:
        yield rank_scores(carry, k)
