"""Feature importance (gain and split counts) of both ranker models."""

import lightgbm as lgb
import pandas as pd

from hm_warehouse.ranker import feature_importance


def model(dbt, session):
    frames = []
    for row in dbt.ref("ranker_models").df().itertuples():
        imp = feature_importance(lgb.Booster(model_str=row.booster))
        imp.insert(0, "model_name", row.model_name)
        frames.append(imp)
    return pd.concat(frames, ignore_index=True)
