"""Content-based signals: text vectors, image embeddings, customer vectors
and nearest-article candidates."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from hm_warehouse.content import (
    ContentParams,
    article_texts,
    article_vector_matrix,
    combine_vectors,
    customer_vectors,
    fresh_articles,
    nearest_articles,
    read_image_embeddings,
    text_vectors,
    vector_matrix,
    vector_table,
)
from hm_warehouse.params import project_defaults


def _params(**overrides):
    return project_defaults(ContentParams, **{"dimensions": 4, "max_features": 1000,
                                              "threads": 1, **overrides})


def _articles():
    texts = ["soft cotton jersey top with short sleeves", "cotton jersey top with long sleeves",
             "jersey top in soft cotton", "leather ankle boots with a block heel",
             "ankle boots in leather with a heel", "suede boots with a block heel"]
    return pd.DataFrame({"article_id": [f"010877501{i}" for i in range(6)],
                         "prod_name": ["top"] * 3 + ["boot"] * 3,
                         "product_type_name": ["T-shirt"] * 3 + ["Boots"] * 3,
                         "detail_desc": texts})


def test_similar_texts_get_close_vectors():
    vectors = text_vectors(article_texts(_articles()), _params())
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 3] and sims[3, 4] > sims[3, 1]


def test_image_embeddings_from_a_tiny_file_are_appended(tmp_path):
    path = tmp_path / "images.csv"
    path.write_text("article_id,e1,e2\n0108775010,1.0,0.0\n0108775013,0.0,2.0\n")
    images = read_image_embeddings(path)
    assert images["article_id"].tolist() == ["0108775010", "0108775013"]  # zeros kept
    text = text_vectors(article_texts(_articles()), _params())
    both = combine_vectors(text, _articles()["article_id"].tolist(), images, 1.0)
    assert both.shape == (6, text.shape[1] + 2)
    assert np.allclose(np.linalg.norm(both, axis=1), 1, atol=1e-5)
    assert both[0, -2] > 0 and both[3, -1] > 0 and (both[1, -2:] == 0).all()
    assert combine_vectors(text, _articles()["article_id"].tolist(), None, 1.0) is text


@pytest.mark.parametrize("content, message", [
    ("id,e1\n1,0.5\n", "no article_id column"),
    ("article_id\n0108775010\n", "no embedding columns"),
    ("article_id,e1\n0108775010,x\n", "must be numeric: e1"),
    ("article_id,e1\n0108775010,1\n0108775010,2\n", "0108775010 appears more than once"),
])
def test_bad_image_embedding_files_name_the_file_and_the_fault(tmp_path, content, message):
    path = tmp_path / "images.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message) as error:
        read_image_embeddings(path)
    assert str(path) in str(error.value)
    with pytest.raises(ValueError, match="not found"):
        read_image_embeddings(tmp_path / "missing.csv")


def test_customer_vectors_use_only_earlier_weeks_and_decay():
    keys = np.array([10, 20, 30])
    vectors = np.eye(3, dtype=np.float32)
    purchases = pa.table({"customer_key": [1, 1, 1, 2], "article_key": [10, 20, 30, 30],
                          "week_index": [-3, -2, -1, -1]})
    targets = pa.table({"customer_key": [1, 2], "week_index": [-1, -1]})
    params = _params(lookback_weeks=4, decay_weeks=1.0)
    customers, weeks, out = customer_vectors(purchases, targets, keys, vectors, params)
    # customer 2 bought only in week -1 itself: nothing before it
    assert customers.tolist() == [1] and weeks.tolist() == [-1]
    # week -2 (1 week before) weighs e times week -3; week -1 is not seen
    assert out[0, 2] == 0 and out[0, 1] / out[0, 0] == pytest.approx(np.e, rel=1e-4)


def test_nearest_articles_rank_only_fresh_articles():
    keys = np.array([10, 20, 30])
    vectors = np.array([[1, 0], [0.8, 0.6], [0, 1]], dtype=np.float32)
    out = nearest_articles(np.array([1]), np.array([0]), np.array([[1, 0]], np.float32),
                           {0: np.array([20, 30])}, keys, vectors, n=5).to_pandas()
    assert out["article_key"].tolist() == [20, 30] and out["source_rank"].tolist() == [1, 2]
    assert out["score"].iloc[0] == pytest.approx(0.8) and set(out["source"]) == {"content"}


def test_vector_tables_round_trip_through_duckdb():
    con = duckdb.connect()
    vectors = np.array([[0.6, 0.8], [1.0, 0.0]], dtype=np.float32)
    table = vector_table(np.array([7, 3]), "article_key", vectors, [-1, 0])
    assert table.num_rows == 4
    con.register("t", table)
    keys, matrix = article_vector_matrix(con.table("t"))
    assert keys.tolist() == [3, 7] and np.allclose(matrix, vectors[[1, 0]])
    sims = con.sql("select array_cosine_similarity(a.content_vector, b.content_vector) "
                   "from t a join t b on a.article_key = 7 and b.article_key = 3 "
                   "and a.as_of_week_index = 0 and b.as_of_week_index = 0").fetchone()[0]
    assert sims == pytest.approx(0.6)
    assert vector_matrix(table).shape == (4, 2)
    con.sql("create table tx as select * from (values (10, -2), (20, -1), (30, -3)) "
            "v(article_key, week_index)")
    fresh = fresh_articles(con.table("tx"), 2, [0, -1])
    assert fresh[0].tolist() == [10, 20] and fresh[-1].tolist() == [10, 30]
