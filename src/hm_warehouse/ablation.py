"""Ablation of the ranker: the same LightGBM ranker trained with all the
registry's signals and without each one, every variant on the same ABTs,
weeks and customers in one run.

A variant without a *feature family* loses that family's columns (seed
hm_feature_columns; the candidates family: every source's rank and score,
n_sources and best_rank). A variant without a *candidate source* loses the
source's rank and score columns and the candidates only it proposed, and
n_sources and best_rank are recomputed from the other sources: as if the
source had never been in the union.

Each variant is trained on the training weeks with early stopping on the
validation week (train_ranker) and scores the validation week and the
prediction week with that model (no refit: the comparison between variants
is what counts, and the refit would double the cost).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .ranker import RankerParams, as_table, top_k_relation, train_ranker, training_relation

ALL = "all"


@dataclass(frozen=True)
class Variant:
    """One ranker of the ablation: `name` is 'all' or 'without_<signal>'."""

    name: str
    kind: str  # 'all', 'feature_family' or 'candidate_source'
    signal: str | None  # the family or source left out
    dropped: tuple[str, ...]  # the ABT columns left out
    source: str | None = None  # a candidate source whose own candidates are removed


def candidate_columns(sources: Iterable[str]) -> list[str]:
    """The candidates family's ABT columns for these sources."""
    columns = []
    for source in sources:
        columns += [f"rank_{source}", f"score_{source}"]
    return [*columns, "n_sources", "best_rank"]


def variants(family_columns: Mapping[str, Iterable[str]], sources: Iterable[str],
             abt_columns: Iterable[str]) -> list[Variant]:
    """'all', then one variant per feature family (registry order) and one
    per candidate source. Families whose columns are not in the ABT (turned
    off by abt_disabled_feature_families) are left out."""
    sources = list(sources)
    present = set(abt_columns)
    out = [Variant(ALL, "all", None, ())]
    families = {"candidates": candidate_columns(sources), **dict(family_columns)}
    for family, columns in families.items():
        dropped = tuple(c for c in columns if c in present)
        if dropped:
            out.append(Variant(f"without_{family}", "feature_family", family, dropped))
    for source in sources:
        dropped = tuple(c for c in (f"rank_{source}", f"score_{source}") if c in present)
        if dropped:
            out.append(Variant(f"without_{source}", "candidate_source", source, dropped, source))
    return out


def variant_relation(relation, variant: Variant, sources: Iterable[str]):
    """The DuckDB relation of an ABT as `variant` sees it."""
    if variant.source is not None:
        own = f"rank_{variant.source}"
        others = [f"rank_{s}" for s in sources
                  if s != variant.source and f"rank_{s}" in relation.columns]
        relation = relation.filter(f"n_sources > ({own} is not null)::int")
        recounted = {"n_sources": f"n_sources - ({own} is not null)::int",
                     "best_rank": f"least({', '.join(others)})" if others else "null"}
        replaced = [f"{expr} as {name}" for name, expr in recounted.items()
                    if name in relation.columns]
        if replaced:
            relation = relation.project(f"* replace ({', '.join(replaced)})")
    if variant.dropped:
        relation = relation.project(f"* exclude ({', '.join(variant.dropped)})")
    return relation


def run_ablation(con, train, valid, scored: Mapping[str, object], family_columns,
                 sources, params: RankerParams, k: int, batch_rows: int,
                 categorical: Iterable[str] = ()) -> pd.DataFrame:
    """Train every variant and list its top k for each relation of `scored`
    (ml_split -> DuckDB relation of candidates). Returns one row per listed
    article: variant, variant_kind, signal, n_trees, n_features, ml_split,
    customer_key, week_index, article_key, score, rank."""
    sources = list(sources)
    frames = []
    for variant in variants(family_columns, sources, train.columns):
        train_v = as_table(training_relation(variant_relation(train, variant, sources)).arrow())
        valid_v = as_table(training_relation(variant_relation(valid, variant, sources)).arrow())
        booster, best, features = train_ranker(train_v, valid_v, params, categorical)
        del train_v, valid_v
        for split, relation in scored.items():
            top = top_k_relation(con, booster, variant_relation(relation, variant, sources),
                                 features, k, batch_rows, params.threads)
            frames.append(top.assign(
                variant=variant.name, variant_kind=variant.kind, signal=variant.signal,
                n_trees=best, n_features=len(features), ml_split=split))
    columns = ["variant", "variant_kind", "signal", "n_trees", "n_features", "ml_split",
               "customer_key", "week_index", "article_key", "score", "rank"]
    return pd.concat(frames, ignore_index=True)[columns]
