"""LightGBM LambdaRank ranker over the candidate ABTs.

Train on the training weeks with early stopping on the validation week, then
refit on training + validation weeks with the best number of trees for the
prediction week. Training reads Arrow tables sorted by query and builds the
float32 matrix column by column (no pandas copy of the ABT); scoring runs
over record batches so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KEYS = ("customer_key", "week_index", "article_key")
NOT_FEATURES = {*KEYS, "ml_split", "label"}


@dataclass(frozen=True)
class RankerParams:
    """The dbt vars ranker_<field> (and seed); threads from $HM_THREADS
    (hm_warehouse.params.from_config)."""

    VAR_PREFIX: ClassVar[str] = "ranker_"
    n_estimators: int
    learning_rate: float
    num_leaves: int
    min_child_samples: int
    early_stopping_rounds: int
    seed: int
    threads: int


# Training and validation tables come sorted in this order (the dbt model
# orders them in DuckDB, which spills): rows of one query are contiguous.
QUERY_ORDER = "week_index, customer_key, article_key"


def feature_columns(columns: Iterable[str]) -> list[str]:
    return [c for c in columns if c not in NOT_FEATURES]


def training_relation(relation):
    """A DuckDB relation of an ABT as the ranker trains from it: keys,
    label and the feature columns cast to FLOAT (feature_relation), sorted
    by query."""
    features = feature_columns(relation.columns)
    return feature_relation(relation, features, ["label"]).order(QUERY_ORDER)


def as_table(data: pa.Table | pa.RecordBatchReader | pa.RecordBatch | pd.DataFrame) -> pa.Table:
    """An Arrow table from what the Python models and tests hand over."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all()
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    return pa.Table.from_pandas(data, preserve_index=False)


def _matrix(table: pa.Table, features: list[str]) -> np.ndarray:
    """The float32 feature matrix (nulls as NaN), filled column by column
    from Arrow: no pandas copy of the table. Column-major, which LightGBM
    reads without another copy."""
    out = np.empty((table.num_rows, len(features)), dtype=np.float32, order="F")
    for j, name in enumerate(features):
        column = table.column(name)
        if pa.types.is_decimal(column.type):  # DuckDB's HUGEINT sums
            column = column.cast(pa.float64())
        out[:, j] = column.cast(pa.float32()).to_numpy()
    return out


def query_starts(table: pa.Table) -> np.ndarray:
    """Offsets where each (week_index, customer_key) query starts, for rows
    already grouped by query; ValueError when a query's rows are split."""
    n = table.num_rows
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    week, customer = table.column("week_index"), table.column("customer_key")
    changed = pc.or_(pc.not_equal(week.slice(1), week.slice(0, n - 1)),
                     pc.not_equal(customer.slice(1), customer.slice(0, n - 1)))
    starts = np.concatenate([[0], np.flatnonzero(changed.to_numpy(zero_copy_only=False)) + 1])
    distinct = table.select(["week_index", "customer_key"]).group_by(
        ["week_index", "customer_key"]).aggregate([]).num_rows
    if distinct != len(starts):
        raise ValueError(f"rows are not grouped by query ({QUERY_ORDER}): {len(starts)} runs "
                         f"of {distinct} queries")
    return starts


def _grouped(data) -> tuple[pa.Table, np.ndarray]:
    """The table grouped by query (sorted here only when it does not come
    sorted) and each query's size, keeping only queries with a bought
    candidate: the others teach LambdaRank nothing."""
    table = as_table(data)
    try:
        starts = query_starts(table)
    except ValueError:
        table = table.sort_by([(c.strip(), "ascending") for c in QUERY_ORDER.split(",")])
        starts = query_starts(table)
    sizes = np.diff(np.append(starts, table.num_rows))
    if not len(starts):
        return table, sizes
    label = table.column("label").to_numpy(zero_copy_only=False)
    positive = np.maximum.reduceat(label, starts) > 0
    if not positive.all():
        table = table.filter(pa.array(np.repeat(positive, sizes)))
        sizes = sizes[positive]
    return table, sizes


def _labels(table: pa.Table) -> np.ndarray:
    return table.column("label").to_numpy(zero_copy_only=False)


def _model(params: RankerParams, n_estimators: int) -> lgb.LGBMRanker:
    return lgb.LGBMRanker(
        objective="lambdarank", n_estimators=n_estimators, learning_rate=params.learning_rate,
        num_leaves=params.num_leaves, min_child_samples=params.min_child_samples,
        random_state=params.seed, n_jobs=params.threads, deterministic=True,
        force_row_wise=True, verbose=-1, lambdarank_truncation_level=20,
    )


def categorical_features(feature_columns: pd.DataFrame) -> list[str]:
    """The category-id features of the registry seed hm_feature_columns (a
    frame of it): its rows with categorical = 'true'."""
    return list(feature_columns.loc[feature_columns["categorical"] == "true", "feature"])


def _categorical(features: list[str], categorical: Iterable[str]) -> list[str] | str:
    """The features LightGBM treats as categories ('auto': none declared)."""
    chosen = [f for f in features if f in set(categorical)]
    return chosen or "auto"


def train_ranker(train, valid, params: RankerParams, categorical: Iterable[str] = ()):
    """Fit on `train` with early stopping on `valid` (MAP@12 of LightGBM).
    Both are Arrow tables (or readers, or DataFrames in tests), best sorted
    by QUERY_ORDER. `categorical` names the category-id features (registry
    column hm_feature_columns.categorical); the booster keeps them.

    Returns (booster, best_iteration, features)."""
    train, train_sizes = _grouped(train)
    valid, valid_sizes = _grouped(valid)
    features = feature_columns(train.column_names)
    model = _model(params, params.n_estimators)
    model.fit(
        _matrix(train, features), _labels(train), group=train_sizes,
        feature_name=features, categorical_feature=_categorical(features, categorical),
        eval_set=[(_matrix(valid, features), _labels(valid))],
        eval_group=[valid_sizes], eval_at=[12], eval_metric="map",
        callbacks=[lgb.early_stopping(params.early_stopping_rounds, verbose=False)],
    )
    best = model.best_iteration_ or params.n_estimators
    return model.booster_, int(best), features


def refit_ranker(data, params: RankerParams, n_estimators: int, features,
                 categorical: Iterable[str] = ()):
    """Fit on all labelled weeks with a fixed number of trees."""
    data, sizes = _grouped(data)
    model = _model(params, n_estimators)
    model.fit(_matrix(data, features), _labels(data), group=sizes, feature_name=features,
              categorical_feature=_categorical(features, categorical))
    return model.booster_


def feature_relation(relation, features: list[str], extra: Iterable[str] = ()):
    """A DuckDB relation of candidates as the ranker reads it: the keys and
    the feature columns cast to FLOAT by DuckDB (the feature matrix is
    float32 anyway: half the Arrow memory of the stored BIGINT / DOUBLE
    columns, and the cast runs in DuckDB's threads), `extra` columns after
    the keys."""
    columns = [*KEYS, *extra, *(f"cast({c} as float) as {c}" for c in features)]
    return relation.project(", ".join(columns))


def score_batches(booster: lgb.Booster, batches: Iterable, features: list[str],
                  threads: int = 1) -> Iterator[pa.Table]:
    """Score candidate rows batch by batch, in any order: Arrow tables of
    (customer_key, week_index, article_key, score). The keys are copied out
    of the batch: a batch DuckDB exports frees its memory only when none of
    its columns is referenced, so keeping its key columns would keep every
    feature column (16 GB at full scale, measured 1.3 GB extra on demo)."""
    for batch in batches:
        table = as_table(batch)
        if table.num_rows == 0:
            continue
        score = booster.predict(_matrix(table, features), num_threads=threads)
        columns = {key: np.array(table.column(key).to_numpy(zero_copy_only=False), copy=True)
                   for key in KEYS}
        yield pa.table({**columns, "score": pa.array(score, pa.float64())})


def top_k_scores(con, scores: pa.Table, k: int) -> pd.DataFrame:
    """Each customer-week's best k rows of `scores` with their rank (1 =
    best; equal scores by article_key), ranked by DuckDB connection `con`:
    a window over the narrow score rows, which spills when it must."""
    name = "hm_ranker_scores_to_rank"
    con.register(name, scores)
    try:
        return con.sql(f"""
            select *, row_number() over (
                partition by week_index, customer_key
                order by score desc, article_key
            ) as rank
            from {name}
            qualify rank <= {int(k)}
            order by week_index, customer_key, rank
        """).df()
    finally:
        con.unregister(name)


def top_k_relation(con, booster: lgb.Booster, relation, features: list[str], k: int,
                   batch_rows: int, threads: int = 1) -> pd.DataFrame:
    """Each customer-week's top k of a DuckDB relation of candidates: one
    pass over the rows in storage order (no sort of the wide rows: at full
    scale the prediction week is 60M+ candidates), scored batch by batch,
    then ranked on the narrow (keys, score) rows by DuckDB (top_k_scores)."""
    reader = feature_relation(relation, features).arrow(batch_rows)
    tables = list(score_batches(booster, reader, features, threads))
    schema = pa.schema([(c, pa.int32()) for c in KEYS] + [("score", pa.float64())])
    scores = pa.concat_tables(tables) if tables else schema.empty_table()
    return top_k_scores(con, scores, k)


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
