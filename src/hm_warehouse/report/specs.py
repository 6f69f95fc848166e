"""What the report shows: every chart (`Chart`, one or more `Panel`s) and
table (`Table`), in order, each with the SQL that feeds it (queries/<name>.sql,
see queries.py) and how to draw or format it.

The order of strategies and candidate sources in the charts and tables is
the registry's (seeds/hm_strategies.csv, seeds/hm_candidate_sources.csv;
hm_warehouse.registry), the union of the candidate sources last.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .. import registry
from .queries import query

TOP_CATEGORIES = 30  # longer category lists end in one "other (n)" bar
MIN_GROUP_UNITS = 100  # product groups with fewer units sold are left out of
#                        the price box plot and the repurchase rates

_TABLE_REF = re.compile(r"\b(staging|marts|eval)\.([a-z_][a-z0-9_]*)\b")


@functools.cache
def strategy_order() -> tuple[str, ...]:
    """The strategies, in the registry's order (seeds/hm_strategies.csv)."""
    return tuple(row["strategy"] for row in registry.strategies() if row.get("strategy"))


@functools.cache
def source_order() -> tuple[str, ...]:
    """The candidate sources, in the registry's order, then their union."""
    return (*registry.candidate_sources(), "union")


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




def _category_counts(column: str) -> str:
    """Articles per value of a dim_articles column: the TOP_CATEGORIES
    largest, then one bar for the rest."""
    return query("article_category_counts", column=column, top=TOP_CATEGORIES)


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
                sql=query("customers_with_purchases"),
            ),
            Panel(
                kind="bar",
                title="Articles",
                with_share=True,
                sql=query("articles_sold"),
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
                  sql=query("null_share", table="staging.stg_hm__customers")),
            Panel(kind="hbar", title="articles", fmt="share", xlabel="share of rows empty",
                  sql=query("null_share", table="staging.stg_hm__articles")),
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
                sql=query("customers_per_age"),
            ),
            Panel(
                kind="bar", title="customers per age bucket", with_share=True,
                sql=query("customers_per_age_bucket"),
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
                  sql=query("customer_status", column="club_member_status")),
            Panel(kind="bar", title="fashion_news_frequency", with_share=True,
                  sql=query("customer_status", column="fashion_news_frequency")),
            Panel(
                kind="bar", title="flags: customers with the flag set", with_share=False,
                fmt="share", ylabel="share of customers",
                sql=query("customer_flags"),
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
                      sql=_category_counts("product_group_name")),),
    ),
    Chart(
        id="articles_by_product_type",
        section="Articles",
        title="Articles per product type",
        caption=f"Articles per product_type_name: the {TOP_CATEGORIES} largest types, "
        "the rest in one bar.",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts("product_type_name")),),
    ),
    Chart(
        id="articles_by_colour",
        section="Articles",
        title="Articles per colour group",
        caption=f"Articles per colour_group_name: the {TOP_CATEGORIES} largest groups, "
        "the rest in one bar.",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts("colour_group_name")),),
    ),
    Chart(
        id="articles_by_pattern",
        section="Articles",
        title="Articles per pattern (graphical appearance)",
        caption="Articles per graphical_appearance_name.",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts("graphical_appearance_name")),),
    ),
    Chart(
        id="articles_by_index",
        section="Articles",
        title="Articles per index",
        caption="Articles per index_name (Ladieswear, Divided, Menswear, children's "
        "sizes, ...).",
        panels=(Panel(kind="hbar", xlabel="articles", with_share=True,
                      sql=_category_counts("index_name")),),
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
                sql=query("price_by_product_group", min_group_units=MIN_GROUP_UNITS),
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
                sql=query("transactions_per_customer"),
            ),
            Panel(
                kind="logcdf", title="cumulative share of buyers",
                xlabel="transaction rows per customer (log scale)",
                ylabel="buyers with at most x rows",
                sql=query("transactions_per_customer"),
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
                sql=query("weekly_sales"),
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
                sql=query("units_per_channel"),
            ),
            Panel(
                kind="line", title="online share per week", fmt="share", xlabel="week start",
                sql=query("online_share_per_week"),
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
        f"{MIN_GROUP_UNITS} pairs). Up to the cutoff. Pairs are grouped on the integer "
        "customer_key, not the 64-character id, to keep the aggregations small.",
        panels=(
            Panel(
                kind="bar", title="purchase days repeating an earlier day's ...", fmt="share",
                ylabel="share of purchase days",
                sql=query("repurchase_rates"),
            ),
            Panel(
                kind="hbar", title="pairs bought on 2+ days, per product group", fmt="share",
                xlabel="share of (customer, article) pairs",
                sql=query("repeated_pairs_by_product_group", min_group_units=MIN_GROUP_UNITS),
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
                sql=query("candidate_recall_curves"),
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
                sql=query("strategy_map"),
            ),
            Panel(
                kind="grouped_bar", title="ALS vs ranker per segment, validation week",
                fmt="float", ylabel="MAP@12",
                sql=query("als_vs_ranker_by_segment"),
            ),
        ),
        height=5.0,
    ),
)


def _recall_pivot(frame: pd.DataFrame) -> pd.DataFrame:
    pivot = frame.pivot(index="source", columns="n_candidates", values="recall")
    sources = source_order()
    order = [s for s in sources if s in pivot.index] + sorted(
        s for s in pivot.index if s not in sources)
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
        sql=query("data_description"),
        formats={"value": "text"},
    ),
    Table(
        id="candidate_recall",
        section="Candidates and evaluation",
        title="Candidate recall (validation week)",
        caption="eval.eval_candidate_recall: recall within the first n candidates of each "
        "source.",
        sql=query("candidate_recall"),
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
        sql=query("eval_strategies"),
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
