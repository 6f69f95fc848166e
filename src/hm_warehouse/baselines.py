"""The simple baselines and the oracle, scored on a data directory.

Used by the generator to report how hard the data it wrote is, and by tests
that check the difficulty stays where the real leaderboard puts it. The
lists come from the same SQL as the warehouse's rows of the same name in
`eval.eval_strategies` (the dbt macros in `macros/baselines.sql`, rendered by
`hm_warehouse.project.render_macro`), and so do the metrics
(`hm_customer_ranking_metrics`, `hm_exact_mean`): on the same files, the
figures agree to the last digit (pytests/test_baselines.py).

- popular_last_week: the 12 best sellers of the last week (real: 0.0056-0.0071);
- own_then_popular: the customer's own articles over the whole history, most
  recently bought first, then the popular list (real: 0.020-0.021);
- own_recent_then_popular: the same within the last `baseline_recent_lookback_weeks`;
- rebuy_decay_trending: time-decayed re-buys and trending popularity, its
  weights chosen on the training weeks (real: 0.0216-0.0231);
- oracle: the generator's own most likely 12 articles per hidden-week buyer
  (hidden/oracle_predictions.csv), the ceiling of any model.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from .project import dbt_vars, render_macro

HIDDEN_TRANSACTIONS = Path("hidden") / "transactions_test_week.csv"
ORACLE_FILE = Path("hidden") / "oracle_predictions.csv"
TRANSACTION_COLUMNS = (
    "{'t_dat': 'DATE', 'customer_id': 'VARCHAR', 'article_id': 'VARCHAR', "
    "'price': 'DOUBLE', 'sales_channel_id': 'INTEGER'}"
)
# the strategies computed from the transactions alone, in the order they print
BASELINES = ("popular_last_week", "own_then_popular", "own_recent_then_popular",
             "rebuy_decay_trending")


def sql_string(value: str | Path) -> str:
    """A SQL string literal (quotes doubled)."""
    return "'" + str(value).replace("'", "''") + "'"


def read_transactions(path: str | Path) -> str:
    return (f"read_csv({sql_string(path)}, header=true, auto_detect=false, "
            f"columns={TRANSACTION_COLUMNS})")


def baseline_sql(con: duckdb.DuckDBPyConnection, strategy: str, purchases: str, targets: str,
                 settings: Mapping[str, Any]) -> str:
    """The list SQL of one baseline: (customer_key, week_index, article_key,
    list_rank). A baseline built in steps (rebuy_decay_trending: its
    candidates, then the choice of weights) gets its intermediate table
    created in `con`, as the warehouse materialises it as a model."""
    if strategy == "popular_last_week":
        return render_macro("hm_baseline_popular_last_week", purchases, targets, settings)
    if strategy == "own_then_popular":
        return render_macro("hm_baseline_own_then_popular", purchases, targets, settings)
    if strategy == "own_recent_then_popular":
        return render_macro("hm_baseline_own_then_popular", purchases, targets, settings,
                            settings["baseline_recent_lookback_weeks"])
    if strategy == "rebuy_decay_trending":
        candidates = f"{strategy}_candidates"
        con.execute(f"create or replace table {candidates} as "
                    + render_macro("hm_rebuy_decay_candidates", purchases, targets, settings))
        return render_macro("hm_baseline_rebuy_decay_trending", candidates, purchases, settings)
    raise ValueError(f"unknown baseline {strategy!r}; choose one of {BASELINES}")


def heuristic_scores(data_dir: str | Path, hidden_file: str | Path | None = None,
                     settings: Mapping[str, Any] | None = None,
                     memory_limit: str = "4GB") -> dict[str, dict]:
    """MAP@12, recall, precision and hit rate of each baseline (and of the
    oracle, when its file is there) on the hidden week, over its buyers."""
    settings = {**dbt_vars(), **(settings or {})}
    data_dir = Path(data_dir)
    hidden = Path(hidden_file) if hidden_file else data_dir / HIDDEN_TRANSACTIONS
    prediction_start = dt.date.fromisoformat(str(settings["cutoff_date"])) + dt.timedelta(1)
    with tempfile.TemporaryDirectory(prefix="hm-baselines-") as spill:
        con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": spill})
        try:
            return _score(con, data_dir, hidden, prediction_start, settings)
        finally:
            con.close()


def _key_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, entity: str,
               *columns: str) -> None:
    """`table`: <entity>_id, `columns`, and <entity>_key, the row number in id order."""
    con.execute(f"""
        create table {table} as
        select
            {entity}_id, {''.join(f"{c}, " for c in columns)}
            cast(row_number() over (order by {entity}_id) as integer) as {entity}_key
        from read_csv({sql_string(path)}, header=true, all_varchar=true)
        """)


def _score(con: duckdb.DuckDBPyConnection, data_dir: Path, hidden: Path,
           prediction_start: dt.date, settings: Mapping[str, Any]) -> dict[str, dict]:
    con.execute("set enable_progress_bar = false")
    # integer keys as staging assigns them (row number in id order), so the
    # macros see the warehouse's columns and break ties and sample alike
    _key_table(con, "customer_keys", data_dir / "customers.csv", "customer")
    _key_table(con, "article_keys", data_dir / "articles.csv", "article", "product_code")
    con.execute(f"""
        create table purchases as
        with days as (
            select *, cast(t_dat - date '{prediction_start}' as integer) as day_index
            from {read_transactions(data_dir / 'transactions_train.csv')}
        )
        select
            customer_keys.customer_key,
            article_keys.article_key,
            article_keys.product_code,
            cast(floor(days.day_index / 7.0) as integer) as week_index,
            days.day_index
        from days
        inner join customer_keys using (customer_id)
        inner join article_keys using (article_id)
        """)
    con.execute(f"""
        create table labels as
        select distinct customer_keys.customer_key, 0 as week_index, article_keys.article_key
        from {read_transactions(hidden)}
        inner join customer_keys using (customer_id)
        inner join article_keys using (article_id)
        """)
    con.execute("create table targets as select distinct customer_key, week_index from labels")
    lists = {name: baseline_sql(con, name, "purchases", "targets", settings)
             for name in BASELINES}
    oracle = data_dir / ORACLE_FILE
    if oracle.exists():
        lists["oracle"] = oracle_sql(sql_string(oracle))
    union = "\nunion all\n".join(
        f"select '{name}' as strategy, customer_key, week_index, article_key, "
        f"list_rank as prediction_rank from ({sql})"
        for name, sql in lists.items())
    con.execute(f"create table predictions as {union}")
    metrics = render_macro("hm_customer_ranking_metrics", "predictions", "labels",
                           int(settings["eval_k"]))
    rows = con.execute(f"""
        select
            strategy,
            {render_macro('hm_exact_mean', 'average_precision')} as map,
            {render_macro('hm_exact_mean', 'recall')} as recall,
            {render_macro('hm_exact_mean', 'precision')} as precision,
            {render_macro('hm_exact_mean', 'is_hit')} as hit_rate,
            count(*) as customers
        from ({metrics}) as per_customer
        group by strategy
        """).fetchall()
    figures = {name: {"map": m, "recall": r, "precision": p, "hit_rate": h, "customers": n}
               for name, m, r, p, h, n in rows}
    return {name: figures[name] for name in lists}


def oracle_sql(path_literal: str) -> str:
    """The oracle file (customer_id, prediction: space-separated article ids)
    as ranked rows for week 0, on the keys of the `customer_keys` and
    `article_keys` tables."""
    return f"""
        with listed as (
            select
                customer_id,
                unnest(string_split(prediction, ' ')) as article_id,
                generate_subscripts(string_split(prediction, ' '), 1) as list_rank
            from read_csv({path_literal}, header=true, all_varchar=true)
        )
        select
            customer_keys.customer_key,
            0 as week_index,
            article_keys.article_key,
            listed.list_rank
        from listed
        inner join customer_keys using (customer_id)
        inner join article_keys using (article_id)
        """
