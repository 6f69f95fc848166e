"""Customer content vectors as of each target week: the time-decayed mean
of the content vectors of the articles each scored customer bought in the
`content_lookback_weeks` before the week (hm_warehouse.content)."""

from hm_warehouse.content import (
    ContentParams,
    article_vector_matrix,
    customer_vectors,
    vector_table,
)
from hm_warehouse.params import from_config
from hm_warehouse.ranker import as_table


def model(dbt, session):
    params = from_config(ContentParams, dbt.config.get("hyperparameters"))
    targets = as_table(dbt.ref("spine_customer_weeks").project("customer_key, week_index").arrow())
    first = min(targets.column("week_index").to_pylist()) - params.lookback_weeks
    purchases = as_table(dbt.ref("fct_transactions").filter(f"week_index >= {int(first)}")
                         .project("customer_key, article_key, week_index").arrow())
    keys, vectors = article_vector_matrix(dbt.ref("feat_article_content"))
    customers, weeks, out = customer_vectors(purchases, targets, keys, vectors, params)
    return vector_table(customers, "customer_key", out, [], week_of_row=weeks)
