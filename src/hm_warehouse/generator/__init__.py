"""H&M-shaped data generator: the four Kaggle files plus the hidden next week
and, beside it, the oracle: each hidden-week buyer's 12 most likely articles
under the generator's own model (the ceiling of any recommender)."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ..settings import source_file
from . import config as cfg
from .catalog import make_catalog
from .oracle import Oracle
from .population import make_population
from .simulate import Behaviour, Simulator
from .writer import TransactionWriter, write_customers, write_oracle, write_sample_submission

__all__ = ["SUMMARY_FILE", "cfg", "generate"]

ORACLE_K = 12
# written last: a directory holding it was made by the generator
SUMMARY_FILE = "generation_summary.json"


def generate(scale: str, out: str | Path, seed: int = 42, progress: bool = True,
             behaviour: Behaviour | None = None, score: bool = True) -> dict:
    """Write articles.csv, customers.csv, transactions_train.csv,
    sample_submission.csv and hidden/transactions_test_week.csv into `out`.

    Returns the run's summary (row counts, time, peak memory and, when
    `score`, the MAP@12 of the simple baselines and of the oracle on the
    hidden week: hm_warehouse.baselines, the same SQL as the warehouse's
    eval_strategies rows of the same names).
    """
    if scale not in cfg.SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {sorted(cfg.SCALES)}")
    spec = cfg.SCALES[scale]
    out = Path(out)
    (out / "hidden").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    catalog = make_catalog(np.random.default_rng([seed, 1]), spec.articles)
    people = make_population(np.random.default_rng([seed, 2]), spec.customers)
    catalog.table.to_csv(out / source_file("articles"), index=False)
    write_customers(people, out / source_file("customers"))

    article_ids = catalog.table["article_id"].tolist()
    train = TransactionWriter(out / source_file("transactions_train"), people.customer_id,
                              article_ids)
    hidden = TransactionWriter(out / "hidden" / "transactions_test_week.csv",
                               people.customer_id, article_ids)
    sold = np.zeros(catalog.n_articles, dtype=np.int64)
    sim = Simulator(catalog, people, seed, behaviour)
    weeks = tqdm(sim.run(), total=cfg.N_WEEKS + 1, desc=f"generate {scale}", unit="week",
                 disable=not progress)
    oracle, hidden_buyers = None, []
    for rows in weeks:
        target = hidden if rows.week >= cfg.N_WEEKS else train
        if target is train:
            sold += np.bincount(rows.article, minlength=catalog.n_articles)
        else:
            hidden_buyers.append(rows.customer)
        target.write(rows.customer, rows.article, rows.day, rows.price, rows.channel)
        if rows.week == cfg.N_WEEKS - 1:  # the state at the cutoff
            oracle = Oracle(sim, cfg.N_WEEKS)
    train.close()
    hidden.close()
    buyers = np.unique(np.concatenate(hidden_buyers))
    write_oracle(people, article_ids, buyers, oracle.top_k(buyers, ORACLE_K),
                 out / "hidden" / "oracle_predictions.csv")

    top = np.argsort(-sold, kind="stable")[:12]
    write_sample_submission(people, [article_ids[i] for i in top],
                            out / source_file("sample_submission"))

    summary = {
        "scale": scale,
        "seed": seed,
        "customers": len(people),
        "articles": catalog.n_articles,
        "transactions": train.rows,
        "hidden_week_transactions": hidden.rows,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if score:
        from ..baselines import heuristic_scores

        scores = heuristic_scores(out)
        summary["hidden_week_buyers"] = scores["oracle"]["customers"]
        summary["map12"] = {name: figures["map"] for name, figures in scores.items()}
    (out / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n")
    return summary
