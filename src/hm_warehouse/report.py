"""The exploratory data analysis report: one self-contained HTML file.

Every chart and table is SQL over the published warehouse (marts, eval and
the staging tables for null shares), never the csv files. The SQL aggregates
in DuckDB and returns small frames (one row per category, week, distinct
value or quantile), so the report reads a full-scale warehouse (31.8M
transactions, 1.37M customers) as quickly as a tiny one: box plots come from
`quantile_cont`, histograms from counts per distinct value.

A chart is a `Chart` (id, section, title, caption) of one or more `Panel`s
(SQL + a kind: bar, hbar, grouped_hbar, grouped_bar, hist, loghist, line,
box); a `render_<kind>` function draws each kind with matplotlib (Agg, no
display). PNGs are embedded as base64 `data:` URIs, so the file has no
external assets. `build_report` opens the warehouse read-only and fails with
`ReportError` naming any table the report needs that is missing.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import itertools
import math
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

DEFAULT_DB = Path("warehouse/hm.duckdb")
DEFAULT_OUT = Path("reports/eda_report.html")
DEFAULT_MEMORY_LIMIT = "4GB"  # DuckDB's cap; the full-scale report spills past it
DPI = 100
TOP_CATEGORIES = 30  # longer category lists end in one "other (n)" bar
MIN_GROUP_UNITS = 100  # product groups with fewer units sold are left out of
#                        the price box plot and the repurchase rates

PALETTE = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f")
ACCENT = "#c0504d"
STRATEGY_ORDER = (
    "ranker", "submission", "own_recent_then_popular", "als", "popular_last_week",
    "popular_age_bucket",
)
SOURCE_ORDER = ("repurchase", "same_product", "pairs", "popular", "popular_age", "als", "union")

_TABLE_REF = re.compile(r"\b(staging|marts|eval)\.([a-z_][a-z0-9_]*)\b")


class ReportError(RuntimeError):
    """The report cannot be built from this warehouse."""


# ------------------------------------------------------------------ specs
@dataclass(frozen=True)
class Panel:
    """One axes of a chart: the SQL that feeds it and how to draw it.

    Frames by kind: bar/hbar `label, value`; grouped_* `label, series, value`;
    hist/loghist `value, n` (n rows with that value); line `x, series, value`;
    box `label, n, p05, p25, p50, p75, p95, mean`.
    """

    kind: str
    sql: str
    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    fmt: str = "count"  # how values print: count, share, float
    annotate: bool = True  # print values on bars
    with_share: bool = False  # bar labels also give the share of the panel total
    logy: bool = False
    highlight: str | None = None  # series (line) or label (bars) drawn in the accent colour
    ymin: float | None = None  # line: lower y limit (default 0, shares: from the data)


@dataclass(frozen=True)
class Chart:
    id: str
    section: str
    title: str
    caption: str
    panels: tuple[Panel, ...]
    layout: str = "row"  # row: side by side; column: stacked
    width: float = 11.0
    height: float | None = None  # inches; None: from the data (hbar rows)
    width_ratios: tuple[float, ...] | None = None

    @property
    def tables(self) -> set[str]:
        return {f"{s}.{t}" for p in self.panels for s, t in _TABLE_REF.findall(p.sql)}


@dataclass(frozen=True)
class Table:
    id: str
    section: str
    title: str
    caption: str
    sql: str
    formats: dict[str, str] = field(default_factory=dict)  # column -> count/floatN/text
    transform: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    before_chart: str | None = None  # placed just before this chart; None: section start

    @property
    def tables(self) -> set[str]:
        return {f"{s}.{t}" for s, t in _TABLE_REF.findall(self.sql)}


# transactions up to the cutoff (fct_transactions keeps any later rows too)
_UP_TO_CUTOFF = "week_index < 0"


def _category_counts_sql(column: str, top: int = TOP_CATEGORIES) -> str:
    """Articles per value of a dim_articles column: the `top` largest, then one
    bar for the rest."""
    return f"""
        with counts as (
            select coalesce({column}, '(missing)') as label, count(*) as value
            from marts.dim_articles
            group by 1
        ),
        ranked as (
            select label, value, row_number() over (order by value desc, label) as position
            from counts
        )
        select label, value, position from ranked where position <= {top}
        union all
        select 'other (' || count(*) || ' values)', sum(value), {top} + 1
        from ranked where position > {top} having count(*) > 0
        order by position
    """


def _null_share_sql(table: str) -> str:
    """Null share of every column of `table`: one scan, count(col) per column."""
    return f"""
        with counts as (
            select count(*) as __n_rows, count(columns(*))
            from {table}
        ),
        per_column as (
            unpivot counts on columns(* exclude (__n_rows))
            into name label value n_non_null
        )
        select label, 1 - n_non_null / __n_rows as value from per_column
    """


def _status_sql(column: str, order: str) -> str:
    return f"""
        select coalesce({column}, 'unknown') as label, count(*) as value
        from marts.dim_customers
        group by 1
        order by {order}
    """


_TRANSACTIONS_PER_CUSTOMER_SQL = """
    select n_transactions as value, count(*) as n
    from marts.dim_customers
    where n_transactions > 0
    group by n_transactions
    order by n_transactions
"""

CHARTS: tuple[Chart, ...] = (
    # ------------------------------------------------------------- overview
    Chart(
        id="customers_with_purchases",
        section="Data description",
        title="Customers with and without purchases, articles sold and never sold",
        caption="From marts.fct_data_description (up to the cutoff). Customers in "
        "customers.csv who never bought are the cold-start case of the submission: "
        "they get the best sellers of their age bucket.",
        panels=(
            Panel(
                kind="bar",
                title="Customers",
                with_share=True,
                sql="""
                    select case metric when 'n_customers_with_purchases' then 'with purchases'
                                else 'without purchases' end as label,
                           metric_value as value
                    from marts.fct_data_description
                    where metric in ('n_customers_with_purchases',
                                     'n_customers_without_purchases')
                    order by metric_order
                """,
            ),
            Panel(
                kind="bar",
                title="Articles",
                with_share=True,
                sql="""
                    select 'sold at least once' as label, sold.metric_value as value
                    from marts.fct_data_description as sold
                    where sold.metric = 'n_articles_sold'
                    union all
                    select 'never sold',
                           total.metric_value - sold.metric_value
                    from marts.fct_data_description as total, marts.fct_data_description as sold
                    where total.metric = 'n_articles' and sold.metric = 'n_articles_sold'
                """,
            ),
        ),
        height=4.0,
    ),
    Chart(
        id="null_share",
        section="Data description",
        title="Null share per column",
        caption="Share of empty values per column of the cleaned customers and articles "
        "(staging.stg_hm__customers, staging.stg_hm__articles). Staging maps the "
        "empty `FN` / `Active` flags of customers.csv to false, so they show no nulls "
        "here; their shares are in the club and newsletter chart.",
        panels=(
            Panel(kind="hbar", title="customers", fmt="share", xlabel="share of rows empty",
                  sql=_null_share_sql("staging.stg_hm__customers")),
            Panel(kind="hbar", title="articles", fmt="share", xlabel="share of rows empty",
                  sql=_null_share_sql("staging.stg_hm__articles")),
        ),
        layout="column",
    ),
    # ------------------------------------------------------------ customers
    Chart(
        id="customer_age",
        section="Customers",
        title="Customer age",
        caption="Customers per year of age (left; unknown ages left out) and per age "
        "bucket (right, the buckets the popular-by-age candidates use). The real data "
        "is bimodal: a peak in the early-to-mid twenties and a second near 50.",
        panels=(
            Panel(
                kind="hist", title="customers per year of age", xlabel="age", ylabel="customers",
                sql="""
                    select age as value, count(*) as n
                    from marts.dim_customers
                    where age is not null
                    group by age
                    order by age
                """,
            ),
            Panel(
                kind="bar", title="customers per age bucket", with_share=True,
                sql="""
                    select age_bucket as label, count(*) as value
                    from marts.dim_customers
                    group by age_bucket
                    order by case age_bucket when 'under_20' then 0 when 'unknown' then 9
                             else 1 end, age_bucket
                """,
            ),
        ),
        width_ratios=(3, 2),
        height=4.5,
    ),
    Chart(
        id="club_news_status",
        section="Customers",
        title="Club membership and newsletter status",
        caption="Club member status, Fashion News frequency and the FN / Active flags "
        "(true when the source column is 1) of every customer; 'unknown' is empty in "
        "customers.csv.",
        panels=(
            Panel(kind="bar", title="club_member_status", with_share=True,
                  sql=_status_sql("club_member_status", "value desc")),
            Panel(kind="bar", title="fashion_news_frequency", with_share=True,
                  sql=_status_sql("fashion_news_frequency", "value desc")),
            Panel(
                kind="bar", title="flags: customers with the flag set", with_share=False,
                fmt="share", ylabel="share of customers",
                sql="""
                    select 'FN (Fashion News)' as label, avg(is_fn_subscribed::int) as value
                    from marts.dim_customers
                    union all
                    select 'Active', avg(is_active::int) from marts.dim_customers
                """,
            ),
        ),
        height=4.2,
    ),
    # ------------------------------------------------------------- articles
    Chart(
        id="articles_by_product_group",
        section="Articles",
        title="Articles per product group",
        caption="Articles of marts.dim_articles per product_group_name (sold or not).",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts_sql("product_group_name")),),
    ),
    Chart(
        id="articles_by_product_type",
        section="Articles",
        title="Articles per product type",
        caption=f"Articles per product_type_name: the {TOP_CATEGORIES} largest types, "
        "the rest in one bar.",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts_sql("product_type_name")),),
    ),
    Chart(
        id="articles_by_colour",
        section="Articles",
        title="Articles per colour group",
        caption=f"Articles per colour_group_name: the {TOP_CATEGORIES} largest groups, "
        "the rest in one bar.",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts_sql("colour_group_name")),),
    ),
    Chart(
        id="articles_by_pattern",
        section="Articles",
        title="Articles per pattern (graphical appearance)",
        caption="Articles per graphical_appearance_name.",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts_sql("graphical_appearance_name")),),
    ),
    Chart(
        id="articles_by_index",
        section="Articles",
        title="Articles per index",
        caption="Articles per index_name (Ladieswear, Divided, Menswear, children's "
        "sizes, ...).",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts_sql("index_name")),),
    ),
    Chart(
        id="price_by_product_group",
        section="Articles",
        title="Price per product group",
        caption="Price of the units sold up to the cutoff (marts.fct_transactions), per "
        "product group: box from the 25th to the 75th percentile, line at the median, "
        "whiskers at the 5th and 95th percentiles, dot at the mean; quantiles are "
        f"computed in DuckDB (quantile_cont). Groups with fewer than {MIN_GROUP_UNITS} "
        "units sold are left out; n is the units sold. Prices are scaled by Kaggle.",
        panels=(
            Panel(
                kind="box", xlabel="price (scaled)",
                sql=f"""
                    with prices as (
                        select coalesce(articles.product_group_name, '(missing)') as label,
                               count(*) as n,
                               quantile_cont(transactions.price,
                                             [0.05, 0.25, 0.5, 0.75, 0.95]) as q,
                               avg(transactions.price) as mean
                        from marts.fct_transactions as transactions
                        inner join marts.dim_articles as articles
                            on transactions.article_id = articles.article_id
                        where transactions.{_UP_TO_CUTOFF}
                        group by 1
                        having count(*) >= {MIN_GROUP_UNITS}
                    )
                    select label, n, q[1] as p05, q[2] as p25, q[3] as p50, q[4] as p75,
                           q[5] as p95, mean
                    from prices
                    order by p50 desc, label
                """,
            ),
        ),
    ),
    # --------------------------------------------------------- transactions
    Chart(
        id="transactions_per_customer",
        section="Transactions",
        title="Transactions per customer",
        caption="Transaction rows per customer up to the cutoff "
        "(marts.dim_customers.n_transactions, buyers only), on log scales. Left: "
        "histogram in logarithmic bins (one bin per value up to 10, then about 8 bins "
        "per decade); the height is the number of customers per single value of the "
        "count, so wider bins are not inflated. Right: the share of buyers with at most "
        "that many rows. A heavy tail: most customers buy a handful of units, a few buy "
        "hundreds. Dashed: median, dotted: mean.",
        panels=(
            Panel(
                kind="loghist", title="histogram (log-log)",
                xlabel="transaction rows per customer (log scale)",
                ylabel="customers per value (log scale)",
                sql=_TRANSACTIONS_PER_CUSTOMER_SQL,
            ),
            Panel(
                kind="logcdf", title="cumulative share of buyers",
                xlabel="transaction rows per customer (log scale)",
                ylabel="buyers with at most x rows",
                sql=_TRANSACTIONS_PER_CUSTOMER_SQL,
            ),
        ),
        width_ratios=(3, 2),
        height=4.5,
    ),
    Chart(
        id="weekly_sales",
        section="Transactions",
        title="Weekly sales",
        caption="Units sold (transaction rows), distinct buyers (marts.fct_customer_weeks) "
        "and distinct articles sold (marts.fct_article_weeks) per week (Wednesday to "
        "Tuesday) up to the cutoff.",
        panels=(
            Panel(
                kind="line", ylabel="per week", xlabel="week start",
                sql=f"""
                    select week_start_date as x, 'units sold' as series, sum(n_units) as value
                    from marts.fct_customer_weeks
                    where {_UP_TO_CUTOFF}
                    group by week_start_date
                    union all
                    select week_start_date, 'buyers', count(*)
                    from marts.fct_customer_weeks
                    where {_UP_TO_CUTOFF}
                    group by week_start_date
                    union all
                    select week_start_date, 'distinct articles sold', count(*)
                    from marts.fct_article_weeks
                    where {_UP_TO_CUTOFF}
                    group by week_start_date
                    order by 2 desc, 1
                """,
            ),
        ),
        height=4.5,
    ),
    Chart(
        id="channel_share",
        section="Transactions",
        title="Sales channel",
        caption="Units sold per sales channel (1 = store, 2 = online) up to the cutoff, "
        "and the online share per week (marts.fct_customer_weeks).",
        panels=(
            Panel(
                kind="bar", title="units per channel", with_share=True,
                sql=f"""
                    select case sales_channel_id when 1 then 'store (1)'
                                when 2 then 'online (2)'
                                else 'channel ' || sales_channel_id end as label,
                           count(*) as value
                    from marts.fct_transactions
                    where {_UP_TO_CUTOFF}
                    group by sales_channel_id
                    order by sales_channel_id
                """,
            ),
            Panel(
                kind="line", title="online share per week", fmt="share", xlabel="week start",
                sql=f"""
                    select week_start_date as x, 'online share' as series,
                           sum(n_online_units) / sum(n_units) as value
                    from marts.fct_customer_weeks
                    where {_UP_TO_CUTOFF}
                    group by week_start_date
                    order by week_start_date
                """,
            ),
        ),
        width_ratios=(1, 2),
        height=4.2,
    ),
    Chart(
        id="repurchase_rates",
        section="Transactions",
        title="Repurchase rates",
        caption="Left: of the days a customer bought an item, the share on which she had "
        "already bought the same article / product (product_code) / product type on an "
        "earlier day (several units of one article on one day are one purchase; "
        "published figures for the real data, definitions approximate: 4.7% / 8.5% / "
        "50.6%). Right: per product group, the share of "
        "(customer, article) pairs bought on two or more days (groups with at least "
        f"{MIN_GROUP_UNITS} pairs). Up to the cutoff. A (customer, item) pair is keyed "
        "by hash(customer_id, item), a 64-bit integer, to keep the aggregations small.",
        panels=(
            Panel(
                kind="bar", title="purchase days repeating an earlier day's ...", fmt="share",
                ylabel="share of purchase days",
                sql=f"""
                    with purchases as (
                        select transactions.customer_id,
                               transactions.transaction_date,
                               transactions.article_id,
                               transactions.product_code,
                               articles.product_type_name
                        from marts.fct_transactions as transactions
                        inner join marts.dim_articles as articles
                            on transactions.article_id = articles.article_id
                        where transactions.{_UP_TO_CUTOFF}
                    ),
                    per_item as (
                        select 1 as position, 'article' as label,
                               count(distinct transaction_date) as n_days
                        from purchases group by hash(customer_id, article_id)
                        union all
                        select 2, 'product', count(distinct transaction_date)
                        from purchases group by hash(customer_id, product_code)
                        union all
                        select 3, 'product type', count(distinct transaction_date)
                        from purchases group by hash(customer_id, product_type_name)
                    )
                    select label, sum(n_days - 1) / sum(n_days) as value
                    from per_item
                    group by position, label
                    order by position
                """,
            ),
            Panel(
                kind="hbar", title="pairs bought on 2+ days, per product group", fmt="share",
                xlabel="share of (customer, article) pairs",
                sql=f"""
                    with pairs as (
                        select any_value(article_id) as article_id,
                               min(transaction_date) < max(transaction_date) as is_repeated
                        from marts.fct_transactions
                        where {_UP_TO_CUTOFF}
                        group by hash(customer_id, article_id)
                    )
                    select coalesce(articles.product_group_name, '(missing)') as label,
                           avg(pairs.is_repeated::int) as value
                    from pairs
                    inner join marts.dim_articles as articles
                        on pairs.article_id = articles.article_id
                    group by 1
                    having count(*) >= {MIN_GROUP_UNITS}
                    order by value desc, label
                """,
            ),
        ),
        width_ratios=(2, 3),
    ),
    # ----------------------------------------------- candidates and evaluation
    Chart(
        id="candidate_recall",
        section="Candidates and evaluation",
        title="Candidate recall on the validation week",
        caption="Share of the (customer, article) pairs bought in the validation week "
        "that a candidate source proposes within its first n candidates "
        "(eval.eval_candidate_recall); the union orders all sources' candidates by "
        "their best rank.",
        panels=(
            Panel(
                kind="line", xlabel="candidates per customer (n)", ylabel="recall",
                fmt="share", highlight="union", ymin=0,
                sql="""
                    select n_candidates as x, source as series, recall as value
                    from eval.eval_candidate_recall
                    order by source, n_candidates
                """,
            ),
        ),
        height=4.5,
    ),
    Chart(
        id="strategy_comparison",
        section="Candidates and evaluation",
        title="Strategies compared: MAP@12",
        caption="MAP@12 of every strategy (eval.eval_strategies) on the validation week "
        "(the last week of data) and, with generated data, the hidden next week "
        "(left), and ALS alone vs the LightGBM ranker per customer segment on the "
        "validation week (right): with / without purchase history, and activity in "
        "the 12 weeks before.",
        panels=(
            Panel(
                kind="grouped_hbar", title="MAP@12, all buyers", fmt="float",
                xlabel="MAP@12",
                sql="""
                    select strategy as label, eval_week as series, map_at_12 as value
                    from eval.eval_strategies
                    where segment_type = 'all'
                    order by eval_week desc, strategy
                """,
            ),
            Panel(
                kind="grouped_bar", title="ALS vs ranker per segment, validation week",
                fmt="float", ylabel="MAP@12",
                sql="""
                    select segment as label, strategy as series, map_at_12 as value
                    from eval.eval_strategies
                    where eval_week = 'valid' and segment_type in ('history', 'activity')
                        and strategy in ('als', 'ranker')
                    order by case segment when 'with_history' then 0 when 'no_history' then 1
                             when 'heavy_12w' then 2 when 'light_12w' then 3
                             when 'inactive_12w' then 4 else 5 end, segment_type, strategy
                """,
            ),
        ),
        height=5.0,
    ),
)


def _recall_pivot(frame: pd.DataFrame) -> pd.DataFrame:
    pivot = frame.pivot(index="source", columns="n_candidates", values="recall")
    order = [s for s in SOURCE_ORDER if s in pivot.index] + sorted(
        s for s in pivot.index if s not in SOURCE_ORDER)
    pivot = pivot.loc[order]
    pivot.columns = [f"n = {c}" for c in pivot.columns]
    return pivot.reset_index()


TABLES: tuple[Table, ...] = (
    Table(
        id="data_description",
        section="Data description",
        title="Headline figures",
        caption="marts.fct_data_description: the data-description figures (up to the "
        "cutoff).",
        sql="""
            select metric, display_value as value, description
            from marts.fct_data_description
            order by metric_order
        """,
        formats={"value": "text"},
    ),
    Table(
        id="candidate_recall",
        section="Candidates and evaluation",
        title="Candidate recall (validation week)",
        caption="eval.eval_candidate_recall: recall within the first n candidates of each "
        "source.",
        sql="select source, n_candidates, recall from eval.eval_candidate_recall",
        transform=_recall_pivot,
        formats={"*": "float3"},
        before_chart="candidate_recall",
    ),
    Table(
        id="eval_strategies",
        section="Candidates and evaluation",
        title="Evaluation of the strategies (all buyers)",
        caption="eval.eval_strategies, segment 'all': MAP@12 as Kaggle computes it, over "
        "the customers who bought that week; recall, precision and hit rate at 12.",
        sql="""
            select strategy, eval_week, map_at_12, recall_at_12, precision_at_12,
                   hit_rate_at_12, n_customers
            from eval.eval_strategies
            where segment_type = 'all'
            order by eval_week desc, map_at_12 desc, strategy
        """,
        formats={"map_at_12": "float4", "recall_at_12": "float4", "precision_at_12": "float4",
                 "hit_rate_at_12": "float4", "n_customers": "count"},
        before_chart="strategy_comparison",
    ),
)


def required_tables(charts: Sequence[Chart] = CHARTS,
                    tables: Sequence[Table] = TABLES) -> list[str]:
    """Every `schema.table` the report reads, sorted."""
    names: set[str] = set()
    for item in (*charts, *tables):
        names |= item.tables
    return sorted(names)


# -------------------------------------------------------------- rendering
def _fmt(value: float, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if fmt == "share":
        return _share(value)
    if fmt == "float":
        return f"{value:.4f}"
    return _short_count(value)


def _share(value: float) -> str:
    """A share as a percentage, with more decimals when it is small but not 0."""
    if value == 0 or abs(value) >= 0.001:
        return f"{value:.1%}"
    return f"{value:.2%}" if abs(value) >= 0.0001 else f"{value:.3%}"


def _short_count(value: float) -> str:
    value = float(value)
    if abs(value) >= 1e6:
        return f"{value / 1e6:.3g}M"
    if abs(value) >= 1e5:
        return f"{value / 1e3:.0f}k"
    return f"{value:,.0f}"


def _axis_formatter(fmt: str) -> FuncFormatter | PercentFormatter:
    if fmt == "share":
        return PercentFormatter(xmax=1.0, decimals=None)
    if fmt == "float":
        return FuncFormatter(lambda v, _: f"{v:.3f}")
    return FuncFormatter(lambda v, _: _short_count(v))


def _bar_labels(values: np.ndarray, panel: Panel, sep: str = " ") -> list[str]:
    """Value labels; with `with_share` also the share of the panel total; zeros
    (e.g. columns without nulls) get no label."""
    total = float(np.nansum(values))
    labels = []
    for v in values:
        if v == 0:
            labels.append("")
            continue
        text = _fmt(v, panel.fmt)
        if panel.with_share and total > 0:
            text += f"{sep}({_share(v / total)})"
        labels.append(text)
    return labels


def _rotate_if_crowded(ax: Axes) -> None:
    """Rotate the category tick labels of a bar chart when neighbours would
    overlap side by side (rendered widths against the distance between bar
    centres, on the laid-out figure)."""
    ticks = [t for t in ax.get_xticklabels() if t.get_text()]
    if len(ticks) < 2:
        return
    renderer = ax.get_figure().canvas.get_renderer()
    widths = [t.get_window_extent(renderer).width for t in ticks]
    slot = ax.get_window_extent(renderer).width / len(ticks)  # centre to centre
    if max(a + b for a, b in itertools.pairwise(widths)) / 2 > slot * 0.92:
        ax.tick_params(axis="x", labelrotation=30)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
            tick.set_rotation_mode("anchor")


def _colors(labels: Sequence[str], highlight: str | None) -> list[str]:
    return [ACCENT if highlight is not None and lab == highlight else PALETTE[0]
            for lab in labels]


def render_bar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    labels = [str(x) for x in frame["label"]]
    values = frame["value"].astype(float).to_numpy()
    bars = ax.bar(range(len(values)), values, color=_colors(labels, panel.highlight), width=0.7)
    ax.set_xticks(range(len(values)), labels)
    ax.yaxis.set_major_formatter(_axis_formatter(panel.fmt))
    if panel.logy:
        ax.set_yscale("log")
    if panel.annotate:
        ax.bar_label(bars, labels=_bar_labels(values, panel, sep="\n"), padding=2,
                     fontsize=8, linespacing=1.1)
        ax.margins(y=0.2 if panel.with_share else 0.12)


def render_hbar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    labels = [str(x) for x in frame["label"]]
    values = frame["value"].astype(float).to_numpy()
    positions = np.arange(len(values))[::-1]  # first row at the top
    bars = ax.barh(positions, values, color=_colors(labels, panel.highlight), height=0.7)
    ax.set_yticks(positions, labels)
    ax.tick_params(axis="y", labelsize=9)
    ax.xaxis.set_major_formatter(_axis_formatter(panel.fmt))
    ax.set_ylim(-0.6, len(values) - 0.4)
    if panel.annotate:
        ax.bar_label(bars, labels=_bar_labels(values, panel), padding=3, fontsize=8)
        top = float(np.nanmax(values)) if len(values) else 0.0
        ax.set_xlim(0, top * 1.25 if top > 0 else 1)


def _grouped(frame: pd.DataFrame) -> pd.DataFrame:
    labels = list(dict.fromkeys(frame["label"]))
    series = list(dict.fromkeys(frame["series"]))
    return (frame.pivot_table(index="label", columns="series", values="value", aggfunc="first")
            .reindex(index=labels, columns=series))


def _ordered_strategies(table: pd.DataFrame) -> pd.DataFrame:
    order = [s for s in STRATEGY_ORDER if s in table.index]
    return table.reindex(order + [s for s in table.index if s not in order])


def render_grouped_hbar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    table = _grouped(frame)
    if set(table.index) & set(STRATEGY_ORDER):
        table = _ordered_strategies(table)
    n_series = len(table.columns)
    height = 0.8 / max(n_series, 1)
    base = np.arange(len(table))[::-1].astype(float)
    for i, series in enumerate(table.columns):
        values = table[series].to_numpy(dtype=float)
        pos = base + (n_series - 1 - 2 * i) * height / 2
        bars = ax.barh(pos, np.nan_to_num(values), height=height, label=str(series),
                       color=PALETTE[i % len(PALETTE)])
        if panel.annotate:
            ax.bar_label(bars, labels=[_fmt(v, panel.fmt) for v in values], padding=3,
                         fontsize=8)
    ax.set_yticks(base, [str(x) for x in table.index])
    ax.xaxis.set_major_formatter(_axis_formatter(panel.fmt))
    top = float(np.nanmax(table.to_numpy(dtype=float))) if table.size else 0.0
    ax.set_xlim(0, top * 1.3 if top > 0 else 1)
    ax.legend(loc="lower right", fontsize=9, frameon=False)


def render_grouped_bar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    table = _grouped(frame)
    n_series = len(table.columns)
    width = 0.8 / max(n_series, 1)
    base = np.arange(len(table)).astype(float)
    for i, series in enumerate(table.columns):
        values = table[series].to_numpy(dtype=float)
        pos = base + (2 * i - (n_series - 1)) * width / 2
        color = ACCENT if series == "ranker" else PALETTE[i % len(PALETTE)]
        bars = ax.bar(pos, np.nan_to_num(values), width=width, label=str(series), color=color)
        if panel.annotate:
            ax.bar_label(bars, labels=[_fmt(v, panel.fmt) for v in values], padding=2,
                         fontsize=7, rotation=90)
    ax.set_xticks(base, [str(x) for x in table.index])
    ax.yaxis.set_major_formatter(_axis_formatter(panel.fmt))
    ax.margins(y=0.2)
    ax.legend(loc="upper right", fontsize=9, frameon=False)


def render_hist(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Counts per distinct (integer) value as adjacent bars."""
    ax.bar(frame["value"].astype(float), frame["n"].astype(float), width=1.0,
           color=PALETTE[0], edgecolor="white", linewidth=0.3)
    ax.yaxis.set_major_formatter(_axis_formatter("count"))


def log_bins(max_value: float) -> np.ndarray:
    """Bin edges for positive integers, about 8 per decade, never narrower than
    one integer: [1, 2), [2, 3), ..., then geometric."""
    top = math.log10(max(float(max_value), 1.0) + 1.0)
    edges = np.unique(np.round(np.logspace(0, top, num=max(int(top * 8), 1) + 1)))
    edges = np.unique(np.concatenate([edges, [max(float(max_value), 1.0) + 1.0]]))
    return edges - 0.5  # integers sit inside their bin, not on an edge


def _median_mean(values: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    order = np.argsort(values)
    cumulative = np.cumsum(counts[order])
    median = float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return median, float((values * counts).sum() / counts.sum())


def _mark_median_mean(ax: Axes, values: np.ndarray, counts: np.ndarray,
                      legend_loc: str = "upper right") -> None:
    median, mean = _median_mean(values, counts)
    ax.axvline(median, color=ACCENT, linestyle="--", linewidth=1.2,
               label=f"median {median:,.0f}")
    ax.axvline(mean, color=ACCENT, linestyle=":", linewidth=1.5, label=f"mean {mean:,.1f}")
    ax.legend(loc=legend_loc, fontsize=9, frameon=False)


def _log_axis(ax: Axes, left: float, right: float) -> None:
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def render_loghist(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Histogram of a positive integer count on log-log axes: logarithmic bins
    (`log_bins`), height = customers per single value in the bin (the bin's
    count over its number of integers), so wide bins are not inflated."""
    values = frame["value"].astype(float).to_numpy()
    counts = frame["n"].astype(float).to_numpy()
    edges = log_bins(values.max() if len(values) else 1.0)
    hist, _ = np.histogram(values, bins=edges, weights=counts)
    per_value = hist / np.diff(edges)  # edges are at half-integers: width = integers in bin
    ax.stairs(per_value, edges, fill=True, color=PALETTE[0], alpha=0.85)
    _log_axis(ax, edges[0], edges[-1])
    ax.set_yscale("log")
    positive = per_value[per_value > 0]
    if len(positive):
        ax.set_ylim(bottom=positive.min() / 2)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    if counts.sum() > 0:
        _mark_median_mean(ax, values, counts)


def render_logcdf(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Share of rows with a value of at most x, on a log x axis."""
    frame = frame.sort_values("value")
    values = frame["value"].astype(float).to_numpy()
    counts = frame["n"].astype(float).to_numpy()
    cumulative = np.cumsum(counts) / counts.sum()
    ax.step(values, cumulative, where="post", color=PALETTE[0], linewidth=1.8)
    _log_axis(ax, 0.8, values.max() * 1.2)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    _mark_median_mean(ax, values, counts, legend_loc="lower right")


def render_line(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    series_names = list(dict.fromkeys(frame["series"]))
    if set(series_names) & set(SOURCE_ORDER):
        series_names = [s for s in SOURCE_ORDER if s in series_names] + [
            s for s in series_names if s not in SOURCE_ORDER]
    is_date = pd.api.types.is_datetime64_any_dtype(frame["x"]) or (
        len(frame) and isinstance(frame["x"].iloc[0], dt.date))
    # the accent colour is kept for the highlighted series
    palette = [c for c in PALETTE if c != ACCENT] if panel.highlight else list(PALETTE)
    for i, name in enumerate(series_names):
        part = frame[frame["series"] == name]
        x = pd.to_datetime(part["x"]) if is_date else part["x"]
        emphasis = panel.highlight == name
        ax.plot(x, part["value"].astype(float), label=str(name),
                color=ACCENT if emphasis else palette[i % len(palette)],
                linewidth=2.8 if emphasis else 1.5,
                marker=None if is_date else "o", markersize=4)
    ax.yaxis.set_major_formatter(_axis_formatter(panel.fmt))
    if not is_date:
        ticks = sorted(frame["x"].unique())
        if len(ticks) <= 12:
            ax.set_xticks(ticks)
    if panel.ymin is not None or panel.fmt != "share":
        ax.set_ylim(bottom=panel.ymin or 0)
    if len(series_names) > 1:
        ax.legend(fontsize=9, frameon=False, ncols=1 if len(series_names) < 4 else 2)


def render_box(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Horizontal boxes from precomputed quantiles (no raw rows): box p25-p75,
    median line, whiskers p05-p95, mean dot."""
    stats = [
        {"label": f"{row.label}  (n={_short_count(row.n)})", "whislo": row.p05, "q1": row.p25,
         "med": row.p50, "q3": row.p75, "whishi": row.p95, "mean": row.mean, "fliers": []}
        for row in frame.itertuples()
    ][::-1]  # first row at the top
    ax.bxp(stats, orientation="horizontal", showmeans=True, showfliers=False,
           patch_artist=True, widths=0.6,
           boxprops={"facecolor": "#c6d9ec", "edgecolor": PALETTE[0]},
           medianprops={"color": ACCENT, "linewidth": 2},
           meanprops={"marker": "o", "markerfacecolor": "black", "markeredgecolor": "black",
                      "markersize": 4})
    ax.tick_params(axis="y", labelsize=9)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3f}"))
    ax.set_xlim(left=0)


RENDERERS: dict[str, Callable[[Axes, pd.DataFrame, Panel], None]] = {
    "bar": render_bar,
    "hbar": render_hbar,
    "grouped_hbar": render_grouped_hbar,
    "grouped_bar": render_grouped_bar,
    "hist": render_hist,
    "loghist": render_loghist,
    "logcdf": render_logcdf,
    "line": render_line,
    "box": render_box,
}


def _rows(frame: pd.DataFrame, panel: Panel) -> int:
    if panel.kind in ("hbar", "box"):
        return len(frame)
    if panel.kind == "grouped_hbar":
        return frame["label"].nunique() * max(frame["series"].nunique(), 1)
    return 0


def render_chart(chart: Chart, frames: Sequence[pd.DataFrame]) -> bytes:
    """The chart as PNG bytes."""
    n = len(chart.panels)
    rows = [_rows(f, p) for f, p in zip(frames, chart.panels, strict=True)]
    if chart.layout == "column":
        height = chart.height or sum(max(r, 4) * 0.26 + 1.0 for r in rows) + 0.6
        fig = Figure(figsize=(chart.width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(n, 1, squeeze=False,
                            height_ratios=[max(r, 4) * 0.26 + 1.0 for r in rows])[:, 0]
    else:
        height = chart.height or max(4.0, max(rows) * 0.28 + 1.4)
        fig = Figure(figsize=(chart.width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, n, squeeze=False, width_ratios=chart.width_ratios)[0]
    fig.suptitle(chart.title, fontsize=13, fontweight="bold")
    for ax, frame, panel in zip(axes, frames, chart.panels, strict=True):
        if frame.empty:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes,
                    fontsize=12, color="grey")
            ax.set_xticks([])
            ax.set_yticks([])
        else:
            RENDERERS[panel.kind](ax, frame, panel)
        ax.set_title(panel.title, fontsize=11)
        ax.set_xlabel(panel.xlabel)
        ax.set_ylabel(panel.ylabel)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y" if panel.kind in ("bar", "grouped_bar", "hist", "line") else
                "both" if panel.kind in ("loghist", "logcdf") else "x", alpha=0.3)
        ax.set_axisbelow(True)
    fig.get_layout_engine().execute(fig)  # final axes widths, to fit category labels
    for ax, panel in zip(axes, chart.panels, strict=True):
        if panel.kind in ("bar", "grouped_bar"):
            _rotate_if_crowded(ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


# ------------------------------------------------------------------ html
def _format_cell(value: object, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if fmt == "count":
        return f"{int(value):,}"
    if fmt.startswith("float") and isinstance(value, (int, float, np.number)):
        return f"{float(value):.{int(fmt[5:] or 4)}f}"
    return html.escape(str(value))


def table_html(table: Table, frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            fmt = table.formats.get(str(column), table.formats.get("*", "text"))
            if column == frame.columns[0] and "*" in table.formats:
                fmt = "text"
            numeric = isinstance(value, (int, float, np.number)) and fmt != "text"
            cells.append(f"<td class=\"{'num' if numeric else 'txt'}\">"
                         f"{_format_cell(value, fmt)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table id="table-{table.id}" class="data"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto;
       max-width: 1150px; padding: 1.5em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #1f4e79; padding-bottom: 0.2em;
margin-top: 2em; } h3 { margin-bottom: 0.3em; }
.meta { color: #555; font-size: 0.9em; }
figure { margin: 1.2em 0 2em 0; } figure img { max-width: 100%; height: auto;
border: 1px solid #ddd; }
figcaption, .caption { color: #444; font-size: 0.92em; margin-top: 0.4em; }
table.data { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 0.3em 0; }
table.data th, table.data td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
table.data th { background: #eef3f8; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
nav ul { columns: 2; font-size: 0.92em; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""


@dataclass
class Report:
    html: str
    charts: dict[str, bytes]  # chart id -> png
    tables: dict[str, pd.DataFrame]
    seconds: float
    timings: dict[str, float]


def _query(con: duckdb.DuckDBPyConnection, sql: str, what: str) -> pd.DataFrame:
    try:
        return con.execute(sql).df()
    except duckdb.Error as exc:
        raise ReportError(f"{what}: query failed: {exc}") from exc


def check_tables(con: duckdb.DuckDBPyConnection, db: Path, needed: Sequence[str]) -> None:
    present = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
    }
    missing = [t for t in needed if t not in present]
    if missing:
        raise ReportError(
            f"warehouse {db} lacks {len(missing)} table(s) the report reads: "
            f"{', '.join(missing)}. Build them first (`make demo`, or `hm-warehouse build "
            f"--select {' '.join('+' + t.split('.')[1] for t in missing)}`)."
        )


def build_report(db: Path = DEFAULT_DB, charts: Sequence[Chart] = CHARTS,
                 tables: Sequence[Table] = TABLES,
                 memory_limit: str = DEFAULT_MEMORY_LIMIT) -> Report:
    """Query the warehouse (read-only) and render every chart and table."""
    db = Path(db)
    if not db.exists():
        raise ReportError(f"no warehouse at {db}; build it with `make demo`")
    started = time.monotonic()
    timings: dict[str, float] = {}
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise ReportError(f"cannot open {db} read-only: {exc}") from exc
    spill = tempfile.TemporaryDirectory(prefix="hm_report_")
    try:
        # bounded memory on a shared machine: big aggregations spill to a temp dir
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set temp_directory = '{spill.name}'")
        con.execute("set preserve_insertion_order = false")
        con.execute("set enable_progress_bar = false")
        check_tables(con, db, required_tables(charts, tables))
        pngs: dict[str, bytes] = {}
        for chart in charts:
            t0 = time.monotonic()
            frames = [_query(con, p.sql, f"chart {chart.id}") for p in chart.panels]
            pngs[chart.id] = render_chart(chart, frames)
            timings[chart.id] = time.monotonic() - t0
        table_frames: dict[str, pd.DataFrame] = {}
        for table in tables:
            t0 = time.monotonic()
            frame = _query(con, table.sql, f"table {table.id}")
            table_frames[table.id] = table.transform(frame) if table.transform else frame
            timings[f"table {table.id}"] = time.monotonic() - t0
    finally:
        con.close()
        spill.cleanup()
    seconds = time.monotonic() - started
    page = _page(db, charts, pngs, tables, table_frames, seconds)
    return Report(html=page, charts=pngs, tables=table_frames, seconds=seconds, timings=timings)


def _table_section(table: Table, frame: pd.DataFrame) -> str:
    return (f'<section class="table"><h3>{html.escape(table.title)}</h3>'
            f"{table_html(table, frame)}"
            f'<p class="caption">{html.escape(table.caption)}</p></section>')


def _page(db: Path, charts: Sequence[Chart], pngs: dict[str, bytes], tables: Sequence[Table],
          table_frames: dict[str, pd.DataFrame], seconds: float) -> str:
    sections = list(dict.fromkeys([*(t.section for t in tables), *(c.section for c in charts)]))
    order = ("Data description", "Customers", "Articles", "Transactions",
             "Candidates and evaluation")
    sections.sort(key=lambda s: order.index(s) if s in order else len(order))
    nav, parts = [], []
    for section in sections:
        anchor = re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")
        nav.append(f'<li><a href="#{anchor}">{html.escape(section)}</a></li>')
        parts.append(f'<h2 id="{anchor}">{html.escape(section)}</h2>')
        chart_ids = {c.id for c in charts if c.section == section}
        section_tables = [t for t in tables if t.section == section]
        for table in (t for t in section_tables if t.before_chart not in chart_ids):
            parts.append(_table_section(table, table_frames[table.id]))
        for chart in (c for c in charts if c.section == section):
            for table in (t for t in section_tables if t.before_chart == chart.id):
                parts.append(_table_section(table, table_frames[table.id]))
            data = base64.b64encode(pngs[chart.id]).decode("ascii")
            parts.append(
                f'<figure id="chart-{chart.id}">'
                f'<img id="img-{chart.id}" alt="{html.escape(chart.title)}" '
                f'src="data:image/png;base64,{data}">'
                f"<figcaption><b>{html.escape(chart.title)}.</b> "
                f"{html.escape(chart.caption)}</figcaption></figure>"
            )
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>H&amp;M warehouse: exploratory data analysis</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>H&amp;M Personalized Fashion Recommendations: exploratory data analysis</h1>"
        f'<p class="meta">Warehouse <code>{html.escape(str(db))}</code>, generated {generated} '
        f"in {seconds:.1f} s by <code>hm-warehouse report</code>. Every figure is SQL over the "
        "warehouse's marts (and eval / staging tables), aggregated in DuckDB.</p>"
        f"<nav><ul>{''.join(nav)}</ul></nav>{''.join(parts)}</body></html>\n"
    )


def write_report(db: Path = DEFAULT_DB, out: Path = DEFAULT_OUT,
                 png_dir: Path | None = None,
                 memory_limit: str = DEFAULT_MEMORY_LIMIT) -> Report:
    """Build the report and write it to `out` (and each chart to `png_dir`)."""
    report = build_report(db, memory_limit=memory_limit)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(report.html, encoding="utf-8")
    tmp.replace(out)
    if png_dir is not None:
        png_dir = Path(png_dir)
        png_dir.mkdir(parents=True, exist_ok=True)
        for chart_id, png in report.charts.items():
            (png_dir / f"{chart_id}.png").write_bytes(png)
    return report
