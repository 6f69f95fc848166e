"""The ML helpers the dbt Python models call: ALS candidates and the ranker."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from hm_warehouse.als import SCHEMA as ALS_SCHEMA
from hm_warehouse.als import (
    AlsParams,
    BprParams,
    als_candidates,
    fit_schedule,
    interaction_matrix,
    training_inputs,
)
from hm_warehouse.params import project_defaults
from hm_warehouse.ranker import (
    RankerParams,
    _matrix,
    feature_importance,
    query_starts,
    refit_ranker,
    score_batches,
    top_k_relation,
    top_k_scores,
    train_ranker,
    training_relation,
)


def _transactions(seed=0):
    """Two taste groups (integer keys, as in the warehouse): customers 0-29
    buy articles 0-9, customers 30-59 articles 100-109."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(60):
        group = 0 if c < 30 else 100
        for w in range(-8, -1):
            for art in rng.choice(10, 3, replace=False):
                rows.append((c, group + int(art), w, (-w) * 7 + 3))
    df = pd.DataFrame(rows, columns=["customer_key", "article_key", "week_index",
                                     "days_before_prediction_week"]).astype(
        {"customer_key": "int32", "article_key": "int32"})
    return pa.Table.from_pandas(df, preserve_index=False)


# an article key bought only from week -3 on
LATE = 999


def test_interaction_matrix_decays_with_time():
    m = interaction_matrix(np.array([0, 0]), np.array([0, 1]), np.array([0, 30]), 30.0, 1, 2)
    assert m[0, 0] == pytest.approx(1.0) and m[0, 1] == pytest.approx(np.exp(-1))


def test_als_learns_taste_groups_and_is_deterministic():
    targets = pd.DataFrame({"customer_key": [0, 45, 9999], "week_index": [-1, -1, -1]},
                           dtype="int32")
    params = project_defaults(AlsParams, factors=8, iterations=10, n=5, history_weeks=10)
    table = als_candidates(_transactions(), targets, params)
    assert isinstance(table, pa.Table) and table.schema == ALS_SCHEMA
    out = table.to_pandas()
    assert set(out.columns) == {"customer_key", "week_index", "article_key", "source", "score",
                                "source_rank"}
    assert 9999 not in set(out["customer_key"])  # unknown customers get no ALS candidates
    a = out[out["customer_key"] == 0]
    assert (a["article_key"] < 100).mean() >= 0.8
    assert list(a["source_rank"]) == [1, 2, 3, 4, 5]
    again = als_candidates(_transactions(), targets, params).to_pandas()
    pd.testing.assert_frame_equal(out, again)
    # row order of the transactions and Arrow targets change nothing
    shuffled = _transactions().take(np.random.default_rng(0).permutation(_transactions().num_rows))
    arrow_targets = pa.Table.from_pandas(targets, preserve_index=False)
    pd.testing.assert_frame_equal(out, als_candidates(shuffled, arrow_targets, params).to_pandas())


def test_bpr_learns_taste_groups_and_names_its_source():
    """The same pipeline with implicit's BPR: its own source name, the
    customers' own taste group first, deterministic for a seed."""
    targets = pd.DataFrame({"customer_key": [0, 45, 9999], "week_index": [-1, -1, -1]},
                           dtype="int32")
    params = project_defaults(BprParams, factors=8, iterations=200, n=5, history_weeks=10)
    out = als_candidates(_transactions(), targets, params).to_pandas()
    assert set(out["source"]) == {"bpr"}
    assert 9999 not in set(out["customer_key"])
    for customer, group in ((0, 0), (45, 100)):
        mine = out[out["customer_key"] == customer]
        assert list(mine["source_rank"]) == [1, 2, 3, 4, 5]
        assert ((mine["article_key"] >= group) & (mine["article_key"] < group + 10)).mean() >= 0.8
    pd.testing.assert_frame_equal(out, als_candidates(_transactions(), targets, params).to_pandas())


def test_training_inputs_keep_the_history_window_before_the_first_target_week():
    import duckdb

    con = duckdb.connect()
    con.sql("""create table spine as select * from (values (1, -1), (2, -2)) t(customer_key, week_index)""")
    con.sql("""create table tx as select * from (values
        (1, 10, -2, date '2020-09-09'), (1, 11, -5, date '2020-08-19'),
        (2, 12, -6, date '2020-08-12')) t(customer_key, article_key, week_index, transaction_date)""")
    purchases, targets = training_inputs(con.table("spine"), con.table("tx"), 3, "2020-09-23")
    assert targets.num_rows == 2
    # the first target week is -2: weeks -5 .. -3 are its 3-week history, -6 is older
    assert sorted(purchases.column("article_key").to_pylist()) == [10, 11]
    days = dict(zip(purchases.column("article_key").to_pylist(),
                    purchases.column("days_before_prediction_week").to_pylist(), strict=True))
    assert days == {10: 14, 11: 35}


def test_interaction_matrix_does_not_depend_on_row_order():
    """DuckDB hands rows over in no fixed order; float sums of repeated
    purchases must not change with it (they would change ALS's factors)."""
    rng = np.random.default_rng(3)
    n = 50_000
    customer, article = rng.integers(0, 50, n), rng.integers(0, 20, n)  # many repeats
    days = rng.random(n) * 200
    first = interaction_matrix(customer, article, days, 30.0, 50, 20)
    for _ in range(3):
        p = rng.permutation(n)
        again = interaction_matrix(customer[p], article[p], days[p], 30.0, 50, 20)
        assert np.array_equal(first.toarray(), again.toarray())


def test_als_uses_only_weeks_before_the_target_week():
    tx = _transactions().to_pandas()
    tx.loc[tx["week_index"] >= -3, "article_key"] = LATE
    targets = pd.DataFrame({"customer_key": [0], "week_index": [-3]})
    out = als_candidates(pa.Table.from_pandas(tx), targets, project_defaults(AlsParams, factors=4, n=20))
    assert out.num_rows > 0 and LATE not in set(out.column("article_key").to_pylist())


def test_fit_schedule_serves_later_weeks_within_the_staleness():
    weeks = [-5, -4, -3, -2, -1, 0]
    assert fit_schedule(weeks, 0) == {w: w for w in weeks}
    assert fit_schedule(weeks, 4) == {-5: -5, -4: -5, -3: -5, -2: -5, -1: -5, 0: 0}
    assert fit_schedule([0, -1, -5, -3], 1) == {-5: -5, -3: -3, -1: -1, 0: -1}


def test_a_shared_als_model_sees_only_weeks_before_its_earliest_week():
    """With one model serving weeks -3 and -2, week -2's candidates come from
    the weeks before -3: purchases of week -3 (which precede week -2, but not
    the model's week) never reach them, and both weeks get the same lists."""
    tx = _transactions().to_pandas()
    tx.loc[tx["week_index"] == -3, "article_key"] = LATE
    targets = pd.DataFrame({"customer_key": [0, 0], "week_index": [-3, -2]})
    shared = project_defaults(AlsParams, factors=4, n=20, max_staleness_weeks=1)
    out = als_candidates(pa.Table.from_pandas(tx), targets, shared).to_pandas()
    assert set(out["week_index"]) == {-3, -2} and LATE not in set(out["article_key"])
    by_week = {w: list(g["article_key"]) for w, g in out.groupby("week_index")}
    assert by_week[-3] == by_week[-2]
    # one model per week: week -2's model has seen week -3
    own = als_candidates(pa.Table.from_pandas(tx), targets,
                         project_defaults(AlsParams, factors=4, n=20, max_staleness_weeks=0))
    own = own.to_pandas()
    assert LATE in set(own.loc[own["week_index"] == -2, "article_key"])


def _abt(n_queries=200, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for q in range(n_queries):
        for a in range(10):
            signal = rng.random()
            rows.append({"customer_key": q, "week_index": -2 - q % 2, "article_key": a,
                         "ml_split": "train", "signal": signal, "noise": rng.random(),
                         "label": int(signal > 0.85)})
    return pd.DataFrame(rows)


def _rank_all(scores: pd.DataFrame, k: int) -> pd.DataFrame:
    """The reference ranking: every customer-week's scores sorted at once
    (best first, equal scores by article_key), the first k kept."""
    scores = scores.sort_values(["week_index", "customer_key", "score", "article_key"],
                                ascending=[True, True, False, True], kind="stable")
    scores["rank"] = scores.groupby(["week_index", "customer_key"]).cumcount() + 1
    return scores[scores["rank"] <= k].reset_index(drop=True)


def test_ranker_learns_signal_and_scores_in_batches():
    train, valid = _abt(), _abt(60, seed=2)
    booster, best, features = train_ranker(train, valid, project_defaults(RankerParams, n_estimators=30,
                                                                      min_child_samples=5))
    assert features == ["signal", "noise"]
    assert 1 <= best <= 30
    imp = feature_importance(booster)
    assert imp.iloc[0]["feature"] == "signal"
    batches = [pa.RecordBatch.from_pandas(valid.iloc[i : i + 100]) for i in range(0, 600, 100)]
    scored = pa.concat_tables(score_batches(booster, batches, features)).to_pandas()
    assert len(scored) == len(valid)
    assert scored.columns.tolist() == ["customer_key", "week_index", "article_key", "score"]
    top = _rank_all(scored, 3).merge(valid, on=["customer_key", "week_index", "article_key"])
    assert top["signal"].mean() > valid["signal"].mean() + 0.15  # random picks: +0
    final = refit_ranker(pd.concat([train, valid]), project_defaults(RankerParams, min_child_samples=5), best,
                         features)
    assert final.num_trees() == best


def test_top_k_scores_ranks_each_customer_week_with_ties_by_article():
    duckdb = pytest.importorskip("duckdb")
    scores = pa.table({
        "customer_key": pa.array([1, 1, 1, 1, 2, 2, 1], pa.int32()),
        "week_index": pa.array([0, 0, 0, 0, 0, 0, -1], pa.int32()),
        "article_key": pa.array([9, 3, 5, 7, 4, 8, 3], pa.int32()),
        "score": [0.5, 0.5, 0.9, 0.1, 0.2, 0.3, 0.0],
    })
    got = top_k_scores(duckdb.connect(), scores, 3)
    assert list(zip(got.week_index, got.customer_key, got.article_key, got["rank"])) == [
        (-1, 1, 3, 1), (0, 1, 5, 1), (0, 1, 3, 2), (0, 1, 9, 3), (0, 2, 8, 1), (0, 2, 4, 2)]


def test_top_k_relation_equals_ranking_everything_at_once():
    """Scoring a DuckDB relation in batches (tiny ones, rows in no order) and
    ranking the narrow scores in DuckDB gives each customer-week the same
    top k as ranking all scores at once."""
    duckdb = pytest.importorskip("duckdb")
    train, valid = _abt(), _abt(60, seed=2)
    booster, _, features = train_ranker(train, valid, project_defaults(RankerParams, n_estimators=10,
                                                                   min_child_samples=5))
    expected = _rank_all(pa.concat_tables(score_batches(
        booster, [pa.RecordBatch.from_pandas(valid)], features)).to_pandas(), 3)
    con = duckdb.connect()
    con.register("candidates", valid.sample(frac=1.0, random_state=1))
    relation = con.sql("select * from candidates")
    for batch_rows in [100_000, 7]:
        got = top_k_relation(con, booster, relation, features, 3, batch_rows)
        pd.testing.assert_frame_equal(got[expected.columns], expected, check_dtype=False,
                                      rtol=1e-6)


def test_ranker_trains_from_sorted_arrow_as_from_unsorted_pandas():
    """The model hands over Arrow tables sorted by query; a DataFrame in any
    order is sorted first. Both give the same booster."""
    train, valid = _abt(), _abt(60, seed=2)
    params = project_defaults(RankerParams, n_estimators=20, min_child_samples=5)
    shuffled = train.sample(frac=1.0, random_state=0)
    ordered = pa.Table.from_pandas(
        train.sort_values(["week_index", "customer_key", "article_key"]), preserve_index=False)
    from_pandas, best_p, _ = train_ranker(shuffled, valid, params)
    from_arrow, best_a, _ = train_ranker(ordered, valid, params)
    assert best_p == best_a
    assert from_pandas.model_to_string() == from_arrow.model_to_string()


def test_query_starts_needs_rows_grouped_by_query():
    table = pa.table({"week_index": [-2, -2, -2, -1, -1], "customer_key": [1, 1, 2, 1, 1],
                      "label": [0, 1, 0, 0, 1]})
    assert query_starts(table).tolist() == [0, 2, 3]
    split = pa.table({"week_index": [-2, -2, -2], "customer_key": [1, 2, 1], "label": [0, 1, 0]})
    with pytest.raises(ValueError, match="not grouped by query"):
        query_starts(split)
    assert query_starts(table.slice(0, 0)).tolist() == []


def test_feature_matrix_from_arrow_types():
    import decimal

    table = pa.table({
        "i": pa.array([1, None, 3], pa.int32()),
        "h": pa.array([decimal.Decimal(5), None, decimal.Decimal(7)], pa.decimal128(38, 0)),
        "d": pa.array([0.5, 1.5, None]),
        "b": pa.array([True, False, None]),
    })
    m = _matrix(table, ["i", "h", "d", "b"])
    assert m.dtype == np.float32 and m.flags.f_contiguous
    expected = np.array([[1, 5, 0.5, 1], [np.nan, np.nan, 1.5, 0], [3, 7, np.nan, np.nan]],
                        dtype=np.float32)
    np.testing.assert_array_equal(m, expected)


def test_training_relation_gives_the_same_booster_with_float_columns():
    """ranker_models reads the ABTs through training_relation (features cast to
    FLOAT in DuckDB, sorted by query): the booster equals the one trained
    from the unsorted pandas frames."""
    duckdb = pytest.importorskip("duckdb")
    train, valid = _abt(), _abt(60, seed=2)
    train["count_feature"] = np.arange(len(train)) % 17  # an integer column too
    valid["count_feature"] = np.arange(len(valid)) % 17
    params = project_defaults(RankerParams, n_estimators=20, min_child_samples=5)
    con = duckdb.connect()
    con.register("train_df", train.sample(frac=1.0, random_state=3))
    con.register("valid_df", valid)
    relation = training_relation(con.sql("select * from train_df"))
    table = relation.arrow()
    table = table.read_all() if hasattr(table, "read_all") else table
    assert table.schema.field("signal").type == pa.float32()
    assert table.column_names[:4] == ["customer_key", "week_index", "article_key", "label"]
    from_duckdb, best_d, _ = train_ranker(
        table, training_relation(con.sql("select * from valid_df")).arrow(), params)
    from_pandas, best_p, _ = train_ranker(train, valid, params)
    assert best_d == best_p
    assert from_duckdb.model_to_string() == from_pandas.model_to_string()



def test_categorical_features_are_the_registry_rows_marked_true():
    from hm_warehouse.ranker import categorical_features

    seed = pd.DataFrame({"feature": ["age", "customer_segment", "article_segment"],
                         "categorical": ["false", "true", "true"]})
    assert categorical_features(seed) == ["customer_segment", "article_segment"]


def test_thread_limits_hold_while_a_concurrent_model_leaves_its_own() -> None:
    """Two Python models of one dbt process: the second's limits wait until
    the first leaves its own, so it cannot restore the BLAS threads under
    the first (which changed ALS's factors between identical builds)."""
    from threadpoolctl import threadpool_info

    from hm_warehouse.threads import thread_limits

    inside, release, seen = threading.Event(), threading.Event(), []

    def first() -> None:
        with thread_limits(1, "blas"):
            inside.set()
            release.wait(10)
            seen.append({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})

    def second() -> None:
        with thread_limits(2):
            seen.append("second")

    a = threading.Thread(target=first)
    a.start()
    assert inside.wait(10)
    b = threading.Thread(target=second)
    b.start()
    b.join(0.5)
    assert b.is_alive()  # waiting for the first's limits to end
    release.set()
    a.join(10)
    b.join(10)
    assert seen == [{1}, "second"]
