"""LightGBM LambdaRank models: one trained on the training weeks with early
stopping on the validation week (scores the validation week), one refit on
training + validation weeks with the best number of trees (scores the
prediction week). Returns one row per model with the booster as text."""

import pandas as pd
import pyarrow as pa

from hm_warehouse.params import from_config
from hm_warehouse.ranker import (
    RankerParams,
    as_table,
    categorical_features,
    refit_ranker,
    train_ranker,
    training_relation,
)


def model(dbt, session):
    # hyperparameters are dbt vars, handed over as config in _ranker__models.yml
    params = from_config(RankerParams, dbt.config.get("hyperparameters"))
    # memory plan: training waits for abt_predict, the largest DuckDB join
    # (at full scale DuckDB at its cap beside LightGBM's Arrow copies of the
    # ABTs peaked at 22 GB); the ref orders the DAG and reads nothing
    dbt.ref("abt_predict")
    # Arrow with float32 features, sorted by query in DuckDB (which spills):
    # no pandas copy of the ABTs
    train = as_table(training_relation(dbt.ref("abt_train")).arrow())
    valid = as_table(training_relation(dbt.ref("abt_valid")).arrow())
    columns = dbt.ref("hm_feature_columns").df()
    categorical = categorical_features(columns)
    booster, best, features = train_ranker(train, valid, params, categorical)
    # training weeks come before the validation week: the concatenation stays sorted
    final = refit_ranker(pa.concat_tables([train, valid]), params, best, features, categorical)
    return pd.DataFrame({
        "model_name": ["valid", "final"],
        "scores_split": ["valid", "predict"],
        "n_trees": [best, best],
        "n_features": [len(features), len(features)],
        "features": [",".join(features)] * 2,
        "booster": [booster.model_to_string(num_iteration=best), final.model_to_string()],
    })
