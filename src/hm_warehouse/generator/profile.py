"""Measures a data directory against the published facts of the real files.

`profile_data(dir)` returns the figures `shared/hm_data_facts.md` reports for
the real data (activity per customer, last-week buyers, cold start, re-buy
shares, freshness, duplicates, channel split, value mixes), so the generator
can be checked against them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..baselines import read_transactions as _read

# The real figures (hm_data_facts.md) the profile is compared with.
REAL = {
    "rows_per_customer_mean": 23.3,
    "rows_per_customer_median": 9,
    "rows_per_customer_p90": 60,
    "one_week_only_share": 0.34,
    "never_bought_share": 0.0071,
    "online_share": 0.704,
    "duplicate_row_share": 0.094,
    "last_week_rows_per_buyer": 240_311 / 68_984,
    "last_week_distinct_per_buyer": 3.1,
    "last_week_cold_start_share": 0.081,
    "last_week_new_article_share": 0.037,
    "repurchase_same_article_share": 0.047,
    "repurchase_same_product_share": 0.085,
    "freshness_30d": 0.92,
    "top12_next_week_share": 0.028,
    "price_median": 0.0254,
    # what the buyers of the last week did before it (validation week)
    "rebuy_exact_pair_share": 0.039,
    "previous_purchase_1w_share": 0.196,
    "previous_purchase_4w_share": 0.475,
    "previous_purchase_12w_share": 0.78,
    "items_without_history_share": 0.078,
    "last_basket_repeat_share": 0.026,
    "top12_alltime_share": 0.0104,
    "top200_alltime_share": 0.0707,
}


def profile_data(data_dir: str | Path) -> dict[str, float]:
    data_dir = Path(data_dir)
    con = duckdb.connect()
    con.execute(f"create table t as select * from {_read(data_dir / 'transactions_train.csv')}")
    con.execute(
        f"create view h as select * from {_read(data_dir / 'hidden' / 'transactions_test_week.csv')}")
    con.execute(f"""create view c as select * from read_csv('{data_dir / "customers.csv"}',
        header=true, all_varchar=true)""")
    con.execute(f"""create view a as select * from read_csv('{data_dir / "articles.csv"}',
        header=true, all_varchar=true)""")
    out: dict[str, float] = {}

    def q(sql: str) -> tuple:
        return con.execute(sql).fetchone()

    mean, median, p90, p99, one_week = q("""
        with per as (
            select customer_id, count(*) as n,
                count(distinct (t_dat - date '2018-09-19') // 7) as weeks
            from t group by 1)
        select avg(n), median(n), quantile_cont(n, 0.9), quantile_cont(n, 0.99),
            avg((weeks = 1)::int) from per""")
    out.update(rows_per_customer_mean=mean, rows_per_customer_median=median,
               rows_per_customer_p90=p90, rows_per_customer_p99=p99, one_week_only_share=one_week)
    out["never_bought_share"] = q(
        "select 1 - (select count(distinct customer_id) from t) / count(*) from c")[0]
    out["online_share"] = q("select avg((sales_channel_id = 2)::int) from t")[0]
    out["duplicate_row_share"] = q("""
        select 1 - (select count(*) from (select distinct * from t)) / count(*) from t""")[0]
    out["price_median"] = q("select median(price) from t")[0]
    rows, buyers, distinct = q("""
        with lw as (select * from t where t_dat > date '2020-09-15')
        select count(*), count(distinct customer_id),
            (select avg(n) from (select count(distinct article_id) as n from lw group by customer_id))
        from lw""")
    out.update(last_week_rows=rows, last_week_buyers=buyers,
               last_week_rows_per_buyer=rows / max(buyers, 1),
               last_week_distinct_per_buyer=distinct)
    out["last_week_cold_start_share"] = q("""
        with b as (select distinct customer_id from t where t_dat > date '2020-09-15')
        select avg((not exists (select 1 from t where t.customer_id = b.customer_id
            and t.t_dat <= date '2020-09-15'))::int) from b""")[0]
    out["last_week_new_article_share"] = q("""
        with s as (select distinct article_id from t where t_dat > date '2020-09-15'),
        old as (select distinct article_id from t where t_dat <= date '2020-09-15')
        select avg((o.article_id is null)::int) from s left join old as o using (article_id)""")[0]
    same_article, same_product = q("""
        with firsts as (
            select customer_id, article_id, min(t_dat) as first_date from t group by 1, 2),
        pfirst as (
            select customer_id, left(article_id, 7) as product_code, min(t_dat) as first_date
            from t group by 1, 2)
        select
            avg((t.t_dat > f.first_date)::int),
            avg((t.t_dat > p.first_date)::int)
        from t
        join firsts as f using (customer_id, article_id)
        join pfirst as p on p.customer_id = t.customer_id
            and p.product_code = left(t.article_id, 7)""")
    out.update(repurchase_same_article_share=same_article,
               repurchase_same_product_share=same_product)
    out["freshness_30d"] = q("""
        with s as (select distinct article_id from t where t_dat > date '2020-09-15'),
        recent as (select distinct article_id from t
            where t_dat > date '2020-08-16' and t_dat <= date '2020-09-15')
        select avg((r.article_id is not null)::int) from s left join recent as r using (article_id)
        """)[0]
    out["top12_next_week_share"] = q("""
        with top as (select article_id from t where t_dat > date '2020-09-15'
            group by 1 order by count(*) desc limit 12)
        select avg((article_id in (select article_id from top))::int) from h""")[0]
    # the buyers of the last week of data (2020-09-16 .. 22) and what they
    # did before it (hm_data_facts.md, "What the buyers of a week did before it")
    (out["rebuy_exact_pair_share"], out["previous_purchase_1w_share"],
     out["previous_purchase_4w_share"], out["previous_purchase_12w_share"],
     out["items_without_history_share"], out["last_basket_repeat_share"]) = q("""
        with w as (select * from t where t_dat >= date '2020-09-16'),
        before as (select * from t where t_dat < date '2020-09-16'),
        pairs as (select distinct customer_id, article_id from w),
        earlier_pairs as (select distinct customer_id, article_id from before),
        buyers as (select distinct customer_id from w),
        last_day as (select customer_id, max(t_dat) as d from before group by 1),
        last_basket as (
            select distinct before.customer_id, before.article_id
            from before join last_day on before.customer_id = last_day.customer_id
                and before.t_dat = last_day.d)
        select
            (select avg((e.article_id is not null)::int) from pairs
                left join earlier_pairs as e using (customer_id, article_id)),
            (select avg((date '2020-09-16' - d <= 7)::int) from buyers join last_day using (customer_id)),
            (select avg((date '2020-09-16' - d <= 28)::int) from buyers join last_day using (customer_id)),
            (select avg((date '2020-09-16' - d <= 84)::int) from buyers join last_day using (customer_id)),
            (select avg((l.customer_id is null)::int) from w left join last_day as l using (customer_id)),
            (select avg((b.article_id is not null)::int) from w
                left join last_basket as b using (customer_id, article_id))
        """)
    out["top12_alltime_share"], out["top200_alltime_share"] = q("""
        with per as (select article_id, count(*) as n from t group by 1),
        ranked as (select n, row_number() over (order by n desc, article_id) as r from per)
        select sum(case when r <= 12 then n end) / sum(n),
            sum(case when r <= 200 then n end) / sum(n) from ranked""")
    out["articles_sold_share"] = q(
        "select (select count(distinct article_id) from t) / count(*) from a")[0]
    out["weekly_rows_min"], out["weekly_rows_median"], out["weekly_rows_max"] = q("""
        select min(n), median(n), max(n) from (
            select (t_dat - date '2018-09-19') // 7 as w, count(*) as n from t
            group by 1 having w > 0)""")
    return {k: float(v) for k, v in out.items()}
