"""The availability model: P(the article sells in the target week), a
LightGBM binary classifier trained on the weeks before the first target
week (feat_article_lifecycle_weekly) and applied to every target week
(hm_warehouse.probability)."""

from hm_warehouse.params import from_config, target_weeks
from hm_warehouse.probability import ProbabilityParams, train_then_score

FEATURES = ["units_1w", "units_2w", "units_4w", "units_12w", "trend_1w_vs_4w",
            "weeks_since_last_sale", "active_weeks_12w", "weeks_since_launch",
            "type_season_turn"]


def model(dbt, session):
    params = from_config(ProbabilityParams, dbt.config.get("hyperparameters"))
    first = target_weeks(dbt.ref("dim_weeks"))[0]
    rows = dbt.ref("feat_article_lifecycle_weekly").arrow()
    return train_then_score(rows, FEATURES, "sold_in_week", ["article_key", "as_of_week_index"],
                            "sell_probability", first, params)
