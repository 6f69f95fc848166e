"""The simple baselines have one implementation: the figures the generator
prints (hm_warehouse.baselines, rendering macros/baselines.sql) are the
warehouse's eval_strategies rows of the same names, to the last digit."""

from __future__ import annotations

import pytest

from hm_warehouse.baselines import BASELINES, heuristic_scores
from hm_warehouse.project import dbt_vars, render_macro

pytest_plugins = ["fixtures_warehouse"]


@pytest.mark.slow
def test_generator_figures_equal_warehouse_rows(tiny_data, tiny_warehouse):
    tiny_warehouse.require("eval_strategies")
    printed = heuristic_scores(tiny_data)
    assert set(printed) == {*BASELINES, "oracle"}
    _, rows = tiny_warehouse.query("""
        select strategy, map_at_12, recall_at_12, precision_at_12, hit_rate_at_12, n_customers
        from eval.eval_strategies
        where eval_week = 'hidden' and segment_type = 'all'""")
    warehouse = {name: rest for name, *rest in rows}
    for name, figures in printed.items():
        assert warehouse[name] == [figures["map"], figures["recall"], figures["precision"],
                                   figures["hit_rate"], figures["customers"]], name


def test_weights_are_chosen_on_the_training_weeks_only():
    """rebuy_decay_trending's weights are chosen on the training weeks
    (-2 .. -1 - n_train_weeks): never on the validation week (-1) or the
    prediction week (0)."""
    settings = dbt_vars()
    weeks = ", ".join(str(w) for w in range(-1 - int(settings["n_train_weeks"]), -1))
    for sql in (render_macro("hm_rebuy_decay_candidates", "p", "t", settings),
                render_macro("hm_baseline_rebuy_decay_trending", "c", "p", settings)):
        assert f"week_index in ({weeks})" in sql
        assert "-1)" not in sql.split("week_index in (")[1].split(")")[0] + ")"


def test_baseline_macros_render_without_dbt():
    """The shared macros use no dbt context, so plain Jinja renders them."""
    settings = {**dbt_vars(), "n_train_weeks": 2}
    for sql in (render_macro("hm_rebuy_decay_candidates", "p", "t", settings),
                render_macro("hm_baseline_rebuy_decay_trending", "c", "p", settings)):
        assert "week_index in (-3, -2)" in sql
        assert "{{" not in sql and "{%" not in sql


def _lists(sql: str, purchases: list[tuple], targets: list[tuple]) -> dict:
    import duckdb

    con = duckdb.connect()
    # the warehouse's key columns (text values here: the macros only compare and sort them)
    con.execute("create table p (customer_key varchar, article_key varchar, product_code varchar,"
                " week_index integer, day_index integer)")
    con.executemany("insert into p values (?, ?, ?, ?, ?)", purchases)
    con.execute("create table t (customer_key varchar, week_index integer)")
    con.executemany("insert into t values (?, ?)", targets)
    out: dict = {}
    for c, w, a, r in con.execute(f"select * from ({sql}) order by 1, 2, 4").fetchall():
        out.setdefault((c, w), []).append(a)
    return out


PURCHASES = [
    ("c1", "a1", "pa", -3, -20), ("c1", "a2", "pb", -2, -10), ("c1", "a2", "pb", -2, -10),
    ("c1", "a3", "pc", -2, -10),
    ("c2", "p1", "pp", -1, -3), ("c3", "p1", "pp", -1, -2), ("c3", "p1", "pp", -1, -2),
    ("c2", "p2", "pq", -1, -1), ("c3", "p2", "pq", -1, -5), ("c4", "p3", "pr", -1, -1),
    ("c4", "a1", "pa", 0, 2),  # in the scored week itself: never counts
]


def test_own_then_popular_order():
    """Own articles, most recently bought first (then the one bought in more
    units, then by id), then last week's best sellers; the lookback cuts the
    own history; sales of the scored week never count."""
    settings = {**dbt_vars(), "eval_k": 4}
    sql = render_macro("hm_baseline_own_then_popular", "p", "t", settings)
    assert _lists(sql, PURCHASES, [("c1", 0), ("c9", 0)]) == {
        ("c1", 0): ["a2", "a3", "a1", "p1"], ("c9", 0): ["p1", "p2", "p3"]}
    recent = render_macro("hm_baseline_own_then_popular", "p", "t", settings, 2)
    assert _lists(recent, PURCHASES, [("c1", 0)]) == {("c1", 0): ["a2", "a3", "p1", "p2"]}
    popular = render_macro("hm_baseline_popular_last_week", "p", "t", {"eval_k": 2})
    assert _lists(popular, PURCHASES, [("c1", 0), ("c2", -1)]) == {
        ("c1", 0): ["p1", "p2"], ("c2", -1): ["a2", "a3"]}
