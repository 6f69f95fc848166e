"""The ranker's ablation (var ranker_ablation): the ranker with every signal
of the registry and without each feature family and each candidate source,
trained on the same ABTs, each variant's top `ranker_keep_top` of the
validation week's and the prediction week's scored customers
(hm_warehouse.ablation). MAP@12 per variant: eval_ablation."""

from hm_warehouse.ablation import run_ablation
from hm_warehouse.params import from_config
from hm_warehouse.ranker import RankerParams, categorical_features


def model(dbt, session):
    params = from_config(RankerParams, dbt.config.get("hyperparameters"))
    columns = dbt.ref("hm_feature_columns").df()
    families = {family: list(group["feature"]) for family, group
                in columns.groupby("family", sort=False)}
    sources = dbt.ref("hm_candidate_sources").df()
    sources = list(sources.loc[sources["in_union"].astype(str).str.lower() == "true", "source"])
    # a source turned off by var disabled_candidate_sources has no ABT column
    # and is left out by variants()
    # the prediction week is scored only for the customers eval_labels scores
    # (the generator's hidden week; none on the real files): the ablation
    # compares rankings, it publishes nothing
    targets = dbt.ref("eval_targets").filter("week_index = 0").project("customer_key, week_index")
    predict = dbt.ref("abt_predict").join(targets, "customer_key, week_index", how="semi")
    scored = {"valid": dbt.ref("abt_valid"), "predict": predict}
    categorical = categorical_features(columns)
    return run_ablation(session, dbt.ref("abt_train"), dbt.ref("abt_valid"), scored, families,
                        sources, params, int(dbt.config.get("ranker_keep_top")),
                        int(dbt.config.get("ranker_score_batch_rows")), categorical)
