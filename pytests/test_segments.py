"""KMeans segments: the elbow rule, standardisation and the segment table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hm_warehouse.params import project_defaults
from hm_warehouse.segments import (
    PROFILES,
    SegmentParams,
    design_matrix,
    elbow_curve,
    elbow_k,
    segments_for,
)


def test_elbow_k_finds_the_knee_of_a_curve():
    ks = list(range(1, 11))
    # steep until k = 4, flat after it
    inertia = [100, 60, 30, 10, 9, 8, 7, 6, 5, 4]
    assert elbow_k(ks, inertia) == 4
    assert elbow_k([2, 3], [5.0, 4.0]) == 2  # too short for an elbow
    assert elbow_k(ks, [5.0] * 10) == 1  # flat: nothing to gain


def test_design_matrix_standardises_logs_and_fills_the_median():
    frame = pd.DataFrame({"a": [1.0, 2.0, None, 3.0], "n": [0, 9, 99, 999], "c": [7, 7, 7, 7]})
    x = design_matrix(frame, ["a", "n", "c"], log_columns=["n"])
    assert np.allclose(x.mean(axis=0), 0) and np.allclose(x[:, :2].std(axis=0), 1)
    assert x[2, 0] == x[1, 0]  # the missing a is the median, 2.0
    assert (x[:, 2] == 0).all()  # a constant column carries nothing
    logged = np.log1p([0, 9, 99, 999])
    assert np.allclose(x[:, 1], (logged - logged.mean()) / logged.std())


def _customers(seed=0, per_group=200):
    """Three well separated groups of buyers and some customers without history."""
    rng = np.random.default_rng(seed)
    frames = []
    for group, (age, price, share) in enumerate([(22, 0.01, 0.9), (45, 0.04, 0.1), (65, 0.02, 0.5)]):
        n = per_group
        frames.append(pd.DataFrame({
            "age": rng.normal(age, 1.5, n), "mean_price": rng.normal(price, 0.002, n),
            "share_ladieswear": rng.normal(share, 0.03, n), "group": group}))
    buyers = pd.concat(frames, ignore_index=True)
    profile = PROFILES["customer"]
    for column in profile.columns:
        if column not in buyers:
            buyers[column] = 1.0
    buyers["has_history"] = True
    newcomers = buyers.head(20).assign(has_history=False, group=-1)
    out = pd.concat([buyers, newcomers], ignore_index=True)
    out["customer_key"] = np.arange(len(out), dtype=np.int32)
    return out


def test_segments_recover_separated_groups_and_keep_newcomers_apart():
    frame = _customers()
    params = project_defaults(SegmentParams, k_min=1, k_max=8, fit_sample=500, threads=1)
    from hm_warehouse.segments import profile_matrix

    x, has_history = profile_matrix(frame, PROFILES["customer"])
    curve = elbow_curve(x, has_history, params)
    assert list(curve["k"]) == list(range(1, 9))
    assert (curve["inertia"].diff().dropna() <= 1e-6).all()  # more clusters, less inertia
    assert curve.loc[curve["is_chosen"], "k"].tolist() == [3]
    table = segments_for("customer", frame, curve.assign(entity="customer"), [-2, -1, 0],
                         params).to_pandas()
    assert len(table) == 3 * len(frame)
    week0 = table[table["as_of_week_index"] == 0].merge(frame, on="customer_key")
    assert (week0.loc[week0["group"] == -1, "customer_segment"] == 0).all()
    buyers = week0[week0["group"] >= 0]
    # each true group is one segment, and the three segments differ
    per_group = buyers.groupby("group")["customer_segment"].agg(["nunique", "first"])
    assert (per_group["nunique"] == 1).all() and per_group["first"].nunique() == 3
    assert set(buyers["customer_segment"]) == {1, 2, 3}
    # the same segment in every week
    assert table.groupby("customer_key")["customer_segment"].nunique().max() == 1
    again = segments_for("customer", frame, curve.assign(entity="customer"), [-2, -1, 0],
                         params).to_pandas()
    pd.testing.assert_frame_equal(table, again)


def test_segments_do_not_depend_on_row_order():
    """DuckDB hands the profile rows over in no fixed order."""
    frame = _customers()
    params = project_defaults(SegmentParams, k_min=1, k_max=6, fit_sample=300, threads=1)
    elbow = pd.DataFrame({"entity": ["customer"], "k": [3], "is_chosen": [True]})
    shuffled = frame.sample(frac=1.0, random_state=1)
    a = segments_for("customer", frame, elbow, [0], params).to_pandas()
    b = segments_for("customer", shuffled, elbow, [0], params).to_pandas()
    pd.testing.assert_frame_equal(a, b)
