"""The propensity model: P(the customer buys in the product group in the
target week), a LightGBM binary classifier trained on sampled customers of
the weeks before the first target week (feat_customer_group_history_weekly)
and applied to the customers scored in every target week
(hm_warehouse.probability)."""

from hm_warehouse.params import from_config, target_weeks
from hm_warehouse.probability import ProbabilityParams, train_then_score

FEATURES = ["group_units", "group_units_4w", "group_units_12w", "group_share_of_customer",
            "customer_units_4w", "weeks_since_group_purchase", "group_active_weeks",
            "group_season_index"]


def model(dbt, session):
    params = from_config(ProbabilityParams, dbt.config.get("hyperparameters"))
    first = target_weeks(dbt.ref("dim_weeks"))[0]
    rows = dbt.ref("feat_customer_group_history_weekly").arrow()
    return train_then_score(rows, FEATURES, "bought_in_week",
                            ["customer_key", "as_of_week_index", "product_group_name"],
                            "group_propensity", first, params)
