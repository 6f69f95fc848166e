"""Candidate source "als": implicit ALS trained per target week on the weeks
before it; its top N per customer and score (see hm_warehouse.als). Inputs
and output are Arrow tables: no pandas copy of transactions or candidates."""

import pyarrow.compute as pc

from hm_warehouse.als import AlsParams, als_candidates
from hm_warehouse.params import from_config


def model(dbt, session):
    # hyperparameters are dbt vars, handed over as config in _candidates__models.yml
    params = from_config(AlsParams, dbt.config.get("hyperparameters"))
    prediction_start = dbt.config.get("prediction_week_start")
    targets = dbt.ref("spine_customer_weeks").project("customer_key, week_index").arrow()
    if hasattr(targets, "read_all"):
        targets = targets.read_all()
    first_week = pc.min(targets.column("week_index")).as_py() - params.history_weeks
    transactions = (
        dbt.ref("fct_transactions")
        .filter(f"week_index >= {first_week}")
        .project(
            "customer_key, article_key, week_index, "
            f"date_diff('day', transaction_date, DATE '{prediction_start}')"
            " as days_before_prediction_week"
        )
        .arrow()
    )
    if hasattr(transactions, "read_all"):
        transactions = transactions.read_all()
    return als_candidates(transactions, targets, params)
