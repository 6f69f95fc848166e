"""Probability models of the feature store: LightGBM binary classifiers
trained on weeks before the first target week and applied to every target
week, so no target week's outcome is ever seen.

- availability: P(the article sells in the week) from its lifecycle as of
  the week (feat_article_lifecycle_weekly: recent units, trend, weeks since
  launch and since the last sale, its product type's season a year
  earlier).
- propensity: P(the customer buys in the product group in the week) from
  their history in the group and the group's season
  (feat_customer_group_history_weekly).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import lightgbm as lgb
import numpy as np
import pyarrow as pa

from .ranker import _matrix, as_table


@dataclass(frozen=True)
class ProbabilityParams:
    """The dbt vars probability_<field> (and seed); threads from $HM_THREADS."""

    VAR_PREFIX: ClassVar[str] = "probability_"
    n_estimators: int
    learning_rate: float
    num_leaves: int
    seed: int
    threads: int


def fit_probability(table: pa.Table, features: Sequence[str], label: str,
                    params: ProbabilityParams) -> lgb.Booster:
    """A binary LightGBM model of `label` (0/1) on the float features."""
    table = as_table(table)
    model = lgb.LGBMClassifier(
        objective="binary", n_estimators=params.n_estimators,
        learning_rate=params.learning_rate, num_leaves=params.num_leaves,
        min_child_samples=50, random_state=params.seed, n_jobs=params.threads,
        deterministic=True, force_row_wise=True, verbose=-1)
    y = table.column(label).to_numpy(zero_copy_only=False).astype(np.int32)
    if len(np.unique(y)) < 2:
        raise ValueError(f"the {label} model needs both outcomes in its training weeks; "
                         f"all {len(y)} rows are {y[0] if len(y) else 'missing'}")
    model.fit(_matrix(table, list(features)), y, feature_name=list(features))
    return model.booster_


def predict_probability(booster: lgb.Booster, table: pa.Table, features: Sequence[str],
                        keys: Sequence[str], name: str, threads: int = 1) -> pa.Table:
    """`keys` columns of `table` and the predicted probability as `name`."""
    table = as_table(table)
    p = (booster.predict(_matrix(table, list(features)), num_threads=threads)
         if table.num_rows else np.empty(0))
    columns = {k: table.column(k) for k in keys}
    return pa.table({**columns, name: pa.array(np.asarray(p, dtype=np.float64))})


def train_then_score(rows: pa.Table, features: Sequence[str], label: str,
                     keys: Sequence[str], name: str, first_target_week: int,
                     params: ProbabilityParams, week: str = "as_of_week_index") -> pa.Table:
    """Fit on the rows of weeks before `first_target_week` and score the
    rows of the target weeks (that week and later)."""
    # key order first: LightGBM's float sums depend on the row order, and
    # DuckDB hands rows over in no fixed order
    rows = as_table(rows).sort_by([(k, "ascending") for k in keys])
    weeks = rows.column(week).to_numpy()
    train = rows.filter(pa.array(weeks < first_target_week))
    target = rows.filter(pa.array(weeks >= first_target_week))
    booster = fit_probability(train, features, label, params)
    return predict_probability(booster, target, features, keys, name, params.threads)
