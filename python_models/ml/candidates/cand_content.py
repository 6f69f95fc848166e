"""Candidate source "content": the articles nearest (cosine of content
vectors) to the customer's recent purchases, among the articles sold in the
`content_recent_weeks` before the week (hm_warehouse.content)."""

from hm_warehouse.content import (
    ContentParams,
    article_vector_matrix,
    fresh_articles,
    nearest_articles,
    vector_matrix,
)
from hm_warehouse.params import from_config
from hm_warehouse.ranker import as_table


def model(dbt, session):
    params = from_config(ContentParams, dbt.config.get("hyperparameters"))
    customers = as_table(dbt.ref("feat_customer_content_weekly").arrow())
    keys, vectors = article_vector_matrix(dbt.ref("feat_article_content"))
    fresh = fresh_articles(dbt.ref("fct_transactions"), params.recent_weeks,
                           customers.column("as_of_week_index").to_numpy())
    return nearest_articles(customers.column("customer_key").to_numpy(),
                            customers.column("as_of_week_index").to_numpy(),
                            vector_matrix(customers), fresh, keys, vectors, params.n)
