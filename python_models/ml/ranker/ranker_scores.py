"""Ranker scores of the validation and prediction weeks' candidates: each
customer-week's best `ranker_keep_top` with their rank. The candidates are
read once in storage order and scored in batches; only the narrow (keys,
score) rows are kept and ranked by DuckDB (hm_warehouse.ranker.
top_k_relation), so no sort of the wide candidate rows at full scale."""

import lightgbm as lgb
import pandas as pd

from hm_warehouse import settings
from hm_warehouse.ranker import top_k_relation


def model(dbt, session):
    batch_rows = int(dbt.config.get("ranker_score_batch_rows"))
    keep = int(dbt.config.get("ranker_keep_top"))
    abts = {"valid": dbt.ref("abt_valid"), "predict": dbt.ref("abt_predict")}
    frames = []
    for row in dbt.ref("ranker_models").df().itertuples():
        booster = lgb.Booster(model_str=row.booster)
        top = top_k_relation(session, booster, abts[row.scores_split], row.features.split(","),
                             keep, batch_rows, settings.threads())
        frames.append(top.assign(ml_split=row.scores_split))
    return pd.concat(frames, ignore_index=True)
