"""ALS and BPR (implicit) candidates: collaborative filtering per target week.

For every target week the model is trained only on the weeks before it (or
before an earlier target week, when one model serves several: fit_schedule)
(confidence-weighted implicit feedback, each purchase weighted by
exp(-days before the week / decay_days)), then recommends the top N
articles of every target customer it knows. Deterministic for a seed.
The same pipeline fits implicit's AlternatingLeastSquares (AlsParams) or
BayesianPersonalizedRanking (BprParams): the params class picks the model
and names the candidate source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .ranker import as_table
from .threads import thread_limits


@dataclass(frozen=True)
class AlsParams:
    """The dbt vars als_<field> (and seed); threads from $HM_THREADS
    (hm_warehouse.params.from_config)."""

    VAR_PREFIX: ClassVar[str] = "als_"
    SOURCE: ClassVar[str] = "als"
    factors: int
    iterations: int
    regularization: float
    alpha: float
    decay_days: float
    history_weeks: int
    n: int
    recent_weeks: int  # recommend only articles sold in these last weeks
    # a model fit for target week f also serves the target weeks up to f + this
    # (its data all comes before f, so before them too: no leakage); 0 = one fit
    # per target week
    max_staleness_weeks: int
    seed: int
    threads: int


@dataclass(frozen=True)
class BprParams:
    """The dbt vars bpr_<field> (and seed): implicit's Bayesian Personalized
    Ranking (pairwise loss: each bought article ranked above a sampled
    other), on the same matrix and schedule as ALS."""

    VAR_PREFIX: ClassVar[str] = "bpr_"
    SOURCE: ClassVar[str] = "bpr"
    factors: int
    iterations: int
    learning_rate: float
    regularization: float
    decay_days: float
    history_weeks: int
    n: int
    recent_weeks: int
    max_staleness_weeks: int
    seed: int
    threads: int


FactorParams = AlsParams | BprParams


def interaction_matrix(
    customer: np.ndarray, article: np.ndarray, days_before: np.ndarray, decay_days: float,
    n_customers: int, n_articles: int,
) -> sp.csr_matrix:
    """Customers x articles, summing time-decayed purchase weights.

    The purchases are sorted first: float sums depend on their order, and
    rows read from DuckDB come in no fixed order, so without the sort two
    runs on the same data would differ in the last bits (and then in ALS's
    factors and rankings)."""
    customer, article = np.asarray(customer), np.asarray(article)
    days_before = np.asarray(days_before, dtype=np.float64)
    order = np.lexsort((days_before, article, customer))
    weight = np.exp(-days_before[order] / decay_days).astype(np.float32)
    m = sp.coo_matrix((weight, (customer[order], article[order])),
                      shape=(n_customers, n_articles))
    return m.tocsr()


def fit_als(matrix: sp.csr_matrix, params: FactorParams):
    """The implicit model of `params` (ALS or BPR) fit on customers x articles."""
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking

    with thread_limits(1, "blas"):  # implicit threads itself; BLAS threads slow it down
        if isinstance(params, BprParams):
            # one thread: BPR's parallel SGD updates race (hogwild), so two
            # runs with more threads give different factors and rankings
            model = BayesianPersonalizedRanking(
                factors=params.factors, learning_rate=params.learning_rate,
                regularization=params.regularization, iterations=params.iterations,
                random_state=params.seed, num_threads=1,
            )
        else:
            model = AlternatingLeastSquares(
                factors=params.factors, regularization=params.regularization,
                alpha=params.alpha, iterations=params.iterations, random_state=params.seed,
                num_threads=params.threads,
            )
        model.fit(matrix, show_progress=False)
    return model


def recommend(model, matrix: sp.csr_matrix, rows: np.ndarray, n: int,
              items: np.ndarray | None = None, batch: int = 50_000):
    """Top-n articles per customer row, among `items` (all when None).
    Already bought articles are kept: re-buys are common in fashion.
    Returns (row, article, score, rank) arrays."""
    out_rows, out_items, out_scores = [], [], []
    n = min(n, matrix.shape[1] if items is None else len(items))
    for s in range(0, len(rows), batch):
        r = rows[s : s + batch]
        with thread_limits(1, "blas"):  # scores independent of the BLAS threads
            items_, scores = model.recommend(r, matrix[r], N=n,
                                             filter_already_liked_items=False, items=items)
        items_ = np.asarray(items_)
        out_rows.append(np.repeat(r, items_.shape[1]))
        out_items.append(items_.ravel())
        out_scores.append(scores.ravel())
    if not out_rows:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.float32), empty
    row = np.concatenate(out_rows)
    rank = np.tile(np.arange(1, n + 1), len(row) // n)
    return row, np.concatenate(out_items), np.concatenate(out_scores), rank


def fit_schedule(weeks, max_staleness_weeks: int) -> dict[int, int]:
    """Target week -> the target week whose model serves it: the earliest
    week fits a model, which serves every later week at most
    `max_staleness_weeks` after it; the next week beyond fits the next one.
    A model trained on the weeks before week f sees nothing of f or later."""
    schedule: dict[int, int] = {}
    fit = None
    for week in sorted(int(w) for w in weeks):
        if fit is None or week - fit > max_staleness_weeks:
            fit = week
        schedule[week] = fit
    return schedule


SCHEMA = pa.schema([("customer_key", pa.int32()), ("week_index", pa.int32()),
                    ("article_key", pa.int32()), ("source", pa.string()),
                    ("score", pa.float64()), ("source_rank", pa.int64())])


def _sorted_codes(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Dense codes of an integer key column (the warehouse's customer_key or
    article_key) and its distinct values, codes in the sort order of the
    values (so results do not depend on row order)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    values, codes = np.unique(column.to_numpy(zero_copy_only=False), return_inverse=True)
    return codes.astype(np.int64), pa.array(values, type=column.type)


def training_inputs(spine, transactions, history_weeks: int,
                    prediction_start: str) -> tuple[pa.Table, pa.Table]:
    """The Arrow inputs of als_candidates from DuckDB relations of
    spine_customer_weeks and fct_transactions: the target (customer_key,
    week_index) rows, and the purchases of the `history_weeks` before the
    first target week with their days before the prediction week."""
    targets = as_table(spine.project("customer_key, week_index").arrow())
    first_week = pc.min(targets.column("week_index")).as_py() - history_weeks
    purchases = as_table(
        transactions.filter(f"week_index >= {int(first_week)}")
        .project(
            "customer_key, article_key, week_index, "
            f"date_diff('day', transaction_date, DATE '{prediction_start}')"
            " as days_before_prediction_week"
        )
        .arrow())
    return purchases, targets


def als_candidates(transactions: pa.Table, targets: pd.DataFrame | pa.Table,
                   params: FactorParams) -> pa.Table:
    """ALS (or BPR: params' class) candidates for every (customer_key, week_index) of `targets`, as
    an Arrow table (customer_key, week_index, article_key, source, score,
    source_rank): the weeks' candidates are never a pandas frame.

    `transactions` has customer_key, article_key, week_index and days_before_
    prediction_week (int: days from the purchase to the prediction week's
    start). Customers without history in a week's training window get none.
    Only articles sold in the `recent_weeks` before the week are recommended
    (what sold long ago is rarely on sale any more, and it keeps scoring cheap).
    """
    if isinstance(targets, pd.DataFrame):
        targets = pa.Table.from_pandas(targets[["customer_key", "week_index"]],
                                       preserve_index=False)
    # customer keys of the transactions and of the targets share one code space
    n_tx = transactions.num_rows
    all_customers = pa.concat_arrays([
        table.column("customer_key").combine_chunks().cast(pa.int32())
        for table in (transactions, targets)])
    customer_codes, customer_keys = _sorted_codes(all_customers)
    tx_customer, target_customer = customer_codes[:n_tx], customer_codes[n_tx:]
    tx_article, article_keys = _sorted_codes(transactions.column("article_key"))
    tx_week = transactions.column("week_index").to_numpy()
    tx_days = transactions.column("days_before_prediction_week").to_numpy()
    target_week = targets.column("week_index").to_numpy()
    tables = []
    schedule = fit_schedule(np.unique(target_week), params.max_staleness_weeks)
    for fit_week in sorted(set(schedule.values())):
        in_window = (tx_week < fit_week) & (tx_week >= fit_week - params.history_weeks)
        if not in_window.any():
            continue
        customers, c_idx = np.unique(tx_customer[in_window], return_inverse=True)
        articles, a_idx = np.unique(tx_article[in_window], return_inverse=True)
        # days before the fit week start = days before prediction start - 7 * |week|
        days = tx_days[in_window] + 7 * fit_week
        matrix = interaction_matrix(c_idx, a_idx, days, params.decay_days,
                                    len(customers), len(articles))
        model = fit_als(matrix, params)
        fresh = np.unique(a_idx[tx_week[in_window] >= fit_week - params.recent_weeks])
        for week in [w for w, f in schedule.items() if f == fit_week]:
            wanted = target_customer[target_week == week]
            pos = np.searchsorted(customers, wanted)
            pos = np.minimum(pos, len(customers) - 1)
            known = np.unique(pos[customers[pos] == wanted])
            row, item, score, rank = recommend(model, matrix, known, params.n, items=fresh)
            tables.append(pa.table({
                "customer_key": customer_keys.take(pa.array(customers[row])).cast(pa.int32()),
                "week_index": pa.array(np.full(len(row), week, dtype=np.int32)),
                "article_key": article_keys.take(pa.array(articles[item])).cast(pa.int32()),
                "source": pa.array(np.full(len(row), params.SOURCE, dtype=object), pa.string()),
                "score": pa.array(score.astype(np.float64)),
                "source_rank": pa.array(rank.astype(np.int64)),
            }, schema=SCHEMA))
    if not tables:
        return SCHEMA.empty_table()
    return pa.concat_tables(tables)
