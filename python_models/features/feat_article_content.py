"""Article content vectors: TF-IDF and truncated SVD of each article's text
(description, product type and group, colour, pattern), with a user's image
embeddings appended when var article_image_embeddings_path names a file;
the same vector in every target week (hm_warehouse.content)."""

from hm_warehouse.content import (
    TEXT_COLUMNS,
    ContentParams,
    article_texts,
    combine_vectors,
    read_image_embeddings,
    text_vectors,
    vector_table,
)
from hm_warehouse.params import from_config, target_weeks


def model(dbt, session):
    params = from_config(ContentParams, dbt.config.get("hyperparameters"))
    articles = (dbt.ref("dim_articles")
                .project(", ".join(["article_key", "article_id", *TEXT_COLUMNS]))
                .order("article_key").df())
    vectors = text_vectors(article_texts(articles), params)
    path = dbt.config.get("image_embeddings_path")
    images = read_image_embeddings(path) if path else None
    vectors = combine_vectors(vectors, articles["article_id"].astype(str).tolist(), images,
                              params.image_weight)
    weeks = target_weeks(dbt.ref("dim_weeks"))
    return vector_table(articles["article_key"].to_numpy(), "article_key", vectors, weeks)
