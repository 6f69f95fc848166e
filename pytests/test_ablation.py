"""The ranker's ablation: which columns and candidates each variant sees."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from hm_warehouse.ablation import run_ablation, variant_relation, variants
from hm_warehouse.params import project_defaults
from hm_warehouse.ranker import RankerParams

SOURCES = ["repurchase", "popular"]
FAMILIES = {"customer": ["age"], "article": ["units_1w"]}


def _abt(con, n_customers=60, seed=0):
    """Two candidates per source per customer-week; customers buy their
    re-buy candidate 1 more often than anything else."""
    rng = np.random.default_rng(seed)
    rows = []
    for week in (-3, -2, -1):
        for c in range(n_customers):
            for a in range(4):
                rank_re = a + 1 if a < 2 else None
                rank_pop = a - 1 if a >= 1 else None
                label = int(a == 0 and rng.random() < 0.7 or rng.random() < 0.1)
                rows.append((c, week, 100 * c + a, rank_re, None if rank_re is None else 1.0 / rank_re,
                             rank_pop, None if rank_pop is None else 5.0 - rank_pop,
                             (rank_re is not None) + (rank_pop is not None),
                             min(r for r in (rank_re, rank_pop) if r is not None),
                             float(rng.integers(16, 70)), float(rng.random()), label))
    df = pd.DataFrame(rows, columns=[
        "customer_key", "week_index", "article_key", "rank_repurchase", "score_repurchase",
        "rank_popular", "score_popular", "n_sources", "best_rank", "age", "units_1w", "label"])
    con.register("abt_df", df)
    return con.sql("select * from abt_df")


def test_variants_cover_every_family_and_source_once():
    con = duckdb.connect()
    names = [v.name for v in variants(FAMILIES, SOURCES, _abt(con).columns)]
    assert names == ["all", "without_candidates", "without_customer", "without_article",
                     "without_repurchase", "without_popular"]
    # a family turned off in the ABT has nothing to leave out
    columns = [c for c in _abt(con).columns if c != "age"]
    assert "without_customer" not in [v.name for v in variants(FAMILIES, SOURCES, columns)]


def test_a_source_variant_drops_its_own_candidates_and_recounts():
    con = duckdb.connect()
    abt = _abt(con)
    by_name = {v.name: v for v in variants(FAMILIES, SOURCES, abt.columns)}
    out = variant_relation(abt, by_name["without_repurchase"], SOURCES).df()
    assert "rank_repurchase" not in out.columns and "score_repurchase" not in out.columns
    # article 0 of each customer came only from repurchase: gone
    assert set(out["article_key"] % 100) == {1, 2, 3}
    assert (out["n_sources"] == 1).all()
    assert (out["best_rank"] == out["rank_popular"]).all()
    family = variant_relation(abt, by_name["without_customer"], SOURCES)
    assert "age" not in family.columns and len(family.df()) == len(abt.df())
    assert variant_relation(abt, by_name["all"], SOURCES).columns == abt.columns


def test_run_ablation_lists_each_variants_top_k():
    con = duckdb.connect()
    abt = _abt(con)
    train = abt.filter("week_index < -1")
    valid = abt.filter("week_index = -1")
    params = project_defaults(RankerParams, n_estimators=20, early_stopping_rounds=5,
                              min_child_samples=5, threads=1)
    out = run_ablation(con, train, valid, {"valid": valid}, FAMILIES, SOURCES, params, k=2,
                       batch_rows=1000)
    assert set(out["variant"]) == {v.name for v in variants(FAMILIES, SOURCES, abt.columns)}
    assert (out.groupby(["variant", "customer_key"]).size() == 2).all()
    # without repurchase, its only candidate (article 0) is never listed
    gone = out[out["variant"] == "without_repurchase"]
    assert not (gone["article_key"] % 100 == 0).any()
    # with it, the ranker learns that re-buy candidate 1 sells
    best = out[(out["variant"] == "all") & (out["rank"] == 1)]
    assert (best["article_key"] % 100 == 0).mean() > 0.9


def _report():
    seed = {
        "seed": 42, "wall_seconds": 10.0,
        "strategies": [{"strategy": "ranker", "eval_week": "hidden", "map_at_12": 0.03,
                        "best_baseline": "b", "best_baseline_map_at_12": 0.02,
                        "map_vs_best_baseline": 1.5, "oracle_map_at_12": 0.05,
                        "oracle_gap_share": 0.33}],
        "ablation": [
            {"variant": "all", "variant_kind": "all", "eval_week": "hidden", "map_at_12": 0.03,
             "map_vs_all": 0.0},
            {"variant": "without_popular", "variant_kind": "candidate_source",
             "eval_week": "hidden", "map_at_12": 0.028, "map_vs_all": -0.002}],
        "recall": [{"source": "popular", "n_candidates": 12, "recall": 0.02}],
        "elbow": [{"entity": "customer", "k": 3, "inertia": 1.0, "is_chosen": True}],
        "build_seconds": {"whole_build_wall": 10.0, "families": {"popular": 1.5},
                          "helpers": {"feat_segment_elbow": 2.0}, "ranker_ablation": 5.0},
    }
    return {"started_at": "2026-12-02T00:00:00Z", "seeds": [seed]}


def test_the_ablation_report_states_every_figure(tmp_path):
    from hm_warehouse.bench import ablation

    text = ablation.render(_report(), "ablation.png")
    assert "**1.50x**, 33% of the gap" in text
    assert "| without_popular | candidate_source | 0.0280 (-0.0020) | n/a | -0.0020 |" in text
    assert "| popular | 1.5 |" in text and "`feat_segment_elbow` | 2.0 |" in text
    assert "| customer | 3 |" in text and "| article | n/a |" in text
    readme = tmp_path / "README.md"
    readme.write_text(f"top\n{ablation.README_BEGIN}\nold\n{ablation.README_END}\nbottom\n")
    ablation.update_readme(readme, text)
    assert "old" not in readme.read_text() and readme.read_text().startswith("top\n")
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="ablation:begin"):
        ablation.update_readme(readme, text)
