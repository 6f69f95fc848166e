"""The feature store's probability models (availability, propensity)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from hm_warehouse.params import project_defaults
from hm_warehouse.probability import ProbabilityParams, fit_probability, train_then_score


def _rows(seed=0, n=3000):
    """Articles that sold recently sell again; the label depends on units_1w."""
    rng = np.random.default_rng(seed)
    units = rng.poisson(2, n).astype(float)
    week = rng.choice([-8, -7, -6, -1, 0], n)
    label = (rng.random(n) < np.where(units > 1, 0.8, 0.1)).astype(int)
    return pa.table({"article_key": np.arange(n, dtype=np.int32), "as_of_week_index": week,
                     "units_1w": units, "noise": rng.random(n), "sold_in_week": label})


def test_train_then_score_fits_on_earlier_weeks_and_scores_the_target_weeks():
    params = project_defaults(ProbabilityParams, n_estimators=30, threads=1)
    out = train_then_score(_rows(), ["units_1w", "noise"], "sold_in_week",
                           ["article_key", "as_of_week_index"], "sell_probability", -1, params)
    weeks = set(out.column("as_of_week_index").to_pylist())
    assert weeks == {-1, 0}  # only target weeks are scored
    table = out.join(_rows(), ["article_key", "as_of_week_index"]).to_pandas()
    busy = table.loc[table["units_1w"] > 1, "sell_probability"].mean()
    quiet = table.loc[table["units_1w"] <= 1, "sell_probability"].mean()
    assert busy > 0.6 and quiet < 0.3
    assert table["sell_probability"].between(0, 1).all()


def test_the_labels_of_target_weeks_are_never_read():
    """Changing every label of the target weeks changes no probability."""
    params = project_defaults(ProbabilityParams, n_estimators=30, threads=1)
    rows = _rows()
    week = rows.column("as_of_week_index").to_numpy()
    label = rows.column("sold_in_week").to_numpy().copy()
    label[week >= -1] = 1 - label[week >= -1]
    flipped = rows.set_column(rows.schema.get_field_index("sold_in_week"), "sold_in_week",
                              pa.array(label))
    args = (["units_1w", "noise"], "sold_in_week", ["article_key", "as_of_week_index"], "p", -1,
            params)
    assert train_then_score(rows, *args).equals(train_then_score(flipped, *args))


def test_a_training_set_with_one_outcome_names_the_label():
    params = project_defaults(ProbabilityParams, n_estimators=5, threads=1)
    rows = pa.table({"x": [1.0, 2.0], "y": [0, 0]})
    with pytest.raises(ValueError, match="the y model needs both outcomes"):
        fit_probability(rows, ["x"], "y", params)
