"""Candidate source "bpr": implicit Bayesian Personalized Ranking trained per
target week on the weeks before it, on the same purchases and schedule as
ALS; its top N per customer and score (see hm_warehouse.als)."""

from hm_warehouse.als import BprParams, als_candidates, training_inputs
from hm_warehouse.params import from_config


def model(dbt, session):
    # hyperparameters are dbt vars, handed over as config in _candidates__models.yml
    params = from_config(BprParams, dbt.config.get("hyperparameters"))
    transactions, targets = training_inputs(
        dbt.ref("spine_customer_weeks"), dbt.ref("fct_transactions"), params.history_weeks,
        dbt.config.get("prediction_week_start"))
    return als_candidates(transactions, targets, params)
