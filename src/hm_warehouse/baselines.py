"""The two public heuristics of the competition, scored on a data directory.

Used by the generator to report how hard the data it wrote is, and by tests
that check the difficulty stays where the real leaderboard puts it:
- popular last week: the 12 articles sold most in the last week of data,
  for everyone (real leaderboard: 0.0056-0.0071);
- own recent purchases, then popular: the customer's own articles, most
  recently bought first, padded with the popular list (real: 0.020-0.021).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .metrics import K, ranking_metrics

TRANSACTION_COLUMNS = (
    "{'t_dat': 'DATE', 'customer_id': 'VARCHAR', 'article_id': 'VARCHAR', "
    "'price': 'DOUBLE', 'sales_channel_id': 'INTEGER'}"
)


def _read(path: Path) -> str:
    return f"read_csv('{path}', header=true, auto_detect=false, columns={TRANSACTION_COLUMNS})"


def heuristic_scores(data_dir: str | Path, hidden_file: str | Path | None = None) -> dict:
    """MAP@12 (and friends) of both heuristics on the hidden week."""
    data_dir = Path(data_dir)
    hidden = Path(hidden_file) if hidden_file else data_dir / "hidden" / "transactions_test_week.csv"
    con = duckdb.connect()
    con.execute(f"create view train as select * from {_read(data_dir / 'transactions_train.csv')}")
    con.execute(f"create view hidden as select * from {_read(hidden)}")
    popular = [r[0] for r in con.execute(
        """
        select article_id from train
        where t_dat > (select max(t_dat) from train) - interval 7 day
        group by article_id order by count(*) desc, article_id limit ?
        """, [K]).fetchall()]
    actual: dict[str, list[str]] = {}
    for cust, arts in con.execute(
        "select customer_id, list(distinct article_id) from hidden group by 1"
    ).fetchall():
        actual[cust] = arts
    own: dict[str, list[str]] = {}
    for cust, arts in con.execute(
        """
        with buyers as (select distinct customer_id from hidden),
        bought as (
            select t.customer_id, t.article_id, max(t.t_dat) as last_date, count(*) as n
            from train as t semi join buyers as b on t.customer_id = b.customer_id
            group by 1, 2
        ),
        ranked as (
            select *, row_number() over (
                partition by customer_id order by last_date desc, n desc, article_id
            ) as r
            from bought
        )
        select customer_id, list(article_id order by r) from ranked where r <= ? group by 1
        """, [K]).fetchall():
        own[cust] = arts
    pop_pred = {c: popular for c in actual}
    own_pred = {c: (own.get(c, []) + popular) for c in actual}
    return {
        "popular_last_week": ranking_metrics(actual, pop_pred),
        "own_recent_then_popular": ranking_metrics(actual, own_pred),
    }
