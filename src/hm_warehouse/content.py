"""Content-based signals: article vectors from their text, customer vectors
from what they bought, nearest articles as candidates.

An article's text is its detail_desc with its product type, product group,
colour and pattern names; TF-IDF (scikit-learn) and a truncated SVD make a
dense vector, L2-normalised. Images are not in the H&M files; a user who
has image embeddings can hand them over as a file (var
article_image_embeddings_path: csv or Parquet with article_id and one
column per dimension), which are normalised and appended with weight
image_weight (read_image_embeddings, combine_vectors).

A customer's vector as of a target week is the mean of the vectors of the
articles they bought in the `lookback_weeks` before it, each weighted by
exp(-weeks before / decay_weeks), L2-normalised. Its nearest articles
(cosine) among those sold in the `recent_weeks` before the week are the
`content` candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .ranker import as_table

TEXT_COLUMNS = ("prod_name", "product_type_name", "product_group_name", "colour_group_name",
                "graphical_appearance_name", "index_name", "detail_desc")


@dataclass(frozen=True)
class ContentParams:
    """The dbt vars content_<field> (and seed); threads from $HM_THREADS."""

    VAR_PREFIX: ClassVar[str] = "content_"
    dimensions: int
    max_features: int
    lookback_weeks: int
    decay_weeks: float
    recent_weeks: int
    n: int
    image_weight: float
    seed: int
    threads: int


def article_texts(articles: pd.DataFrame) -> list[str]:
    """One text per article row from TEXT_COLUMNS (missing parts skipped)."""
    parts = [articles[c].fillna("").astype(str) for c in TEXT_COLUMNS if c in articles]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + " " + part
    return joined.str.strip().tolist()


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), float32."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms > 0, norms, 1)).astype(np.float32)


def text_vectors(texts: Sequence[str], params: ContentParams) -> np.ndarray:
    """TF-IDF (unigrams and bigrams, English stop words) then truncated SVD
    to `dimensions`, L2-normalised rows."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    tfidf = TfidfVectorizer(max_features=params.max_features, ngram_range=(1, 2),
                            stop_words="english", sublinear_tf=True, min_df=2,
                            dtype=np.float32)
    try:
        matrix = tfidf.fit_transform(texts)
    except ValueError:  # no term in 2 documents (tiny data): plain counts of every term
        matrix = TfidfVectorizer(dtype=np.float32).fit_transform(texts)
    dims = max(1, min(params.dimensions, matrix.shape[1] - 1, matrix.shape[0] - 1))
    if dims < 1 or matrix.shape[1] < 2:
        return normalise_rows(matrix.toarray())
    svd = TruncatedSVD(n_components=dims, random_state=params.seed, algorithm="randomized",
                       n_iter=5)
    return normalise_rows(svd.fit_transform(matrix))


def read_image_embeddings(path: str | Path) -> pd.DataFrame:
    """A user's image embeddings: csv or Parquet with an article_id column
    (kept as text: leading zeros matter) and numeric columns, one per
    dimension. ValueError naming the file and what is wrong."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path}: article image embedding file not found")
    if path.suffix.lower() in (".parquet", ".pq"):
        frame = pd.read_parquet(path)
        if "article_id" in frame:
            frame["article_id"] = frame["article_id"].astype(str)
    else:
        frame = pd.read_csv(path, dtype={"article_id": str})
    if "article_id" not in frame:
        raise ValueError(f"{path}: no article_id column (columns: {', '.join(frame.columns)})")
    dims = [c for c in frame.columns if c != "article_id"]
    if not dims:
        raise ValueError(f"{path}: no embedding columns beside article_id")
    bad = [c for c in dims if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad:
        raise ValueError(f"{path}: embedding columns must be numeric: {', '.join(bad)}")
    duplicated = frame["article_id"][frame["article_id"].duplicated()]
    if len(duplicated):
        raise ValueError(f"{path}: article_id {duplicated.iloc[0]} appears more than once")
    return frame


def combine_vectors(text: np.ndarray, article_ids: Sequence[str],
                    images: pd.DataFrame | None, weight: float) -> np.ndarray:
    """Text vectors with the normalised image embeddings appended (times
    `weight`; zeros for articles without one), L2-normalised again."""
    if images is None or weight <= 0:
        return text
    dims = [c for c in images.columns if c != "article_id"]
    lookup = images.set_index("article_id")[dims]
    found = lookup.reindex(pd.Index(article_ids, dtype=str))
    image = normalise_rows(found.fillna(0.0).to_numpy(dtype=np.float64)) * weight
    return normalise_rows(np.hstack([text, image]))


def vector_table(keys: np.ndarray, key_name: str, vectors: np.ndarray, weeks: Sequence[int],
                 week_of_row: np.ndarray | None = None) -> pa.Table:
    """(key, as_of_week_index, content_vector FLOAT[dims]): each key in every
    week of `weeks` (static vectors), or rows already per week
    (`week_of_row`)."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dims = vectors.shape[1]
    if week_of_row is None:
        keys = np.tile(keys, len(weeks))
        week_of_row = np.repeat(np.asarray(weeks, dtype=np.int32), len(vectors))
        vectors = np.tile(vectors, (len(weeks), 1))
    flat = pa.array(vectors.reshape(-1), pa.float32())
    return pa.table({
        key_name: pa.array(np.asarray(keys).astype(np.int32)),
        "as_of_week_index": pa.array(np.asarray(week_of_row, dtype=np.int32)),
        "content_vector": pa.FixedSizeListArray.from_arrays(flat, dims),
    })


def customer_vectors(purchases: pa.Table, targets: pa.Table, article_keys: np.ndarray,
                     article_vectors: np.ndarray, params: ContentParams
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each target (customer_key, week_index) row's vector from its purchases
    (customer_key, article_key, week_index) of the lookback weeks before the
    week. Returns (customer_key, week_index, vectors) of the targets with at
    least one such purchase, sorted by week then customer."""
    p_customer = purchases.column("customer_key").to_numpy()
    p_article = purchases.column("article_key").to_numpy()
    p_week = purchases.column("week_index").to_numpy()
    t_customer = targets.column("customer_key").to_numpy()
    t_week = targets.column("week_index").to_numpy()
    order = np.argsort(article_keys)
    sorted_keys = article_keys[order]
    pos = np.searchsorted(sorted_keys, p_article)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    known = sorted_keys[pos] == p_article
    p_row = order[pos]
    out_c, out_w, out_v = [], [], []
    for week in np.unique(t_week):
        wanted = np.unique(t_customer[t_week == week])
        window = known & (p_week < week) & (p_week >= week - params.lookback_weeks)
        if not window.any():
            continue
        c = p_customer[window]
        rows = np.searchsorted(wanted, c)
        rows = np.minimum(rows, len(wanted) - 1)
        mine = wanted[rows] == c
        if not mine.any():
            continue
        weight = np.exp(-(week - p_week[window][mine] - 1) / params.decay_weeks)
        r, c = rows[mine], p_row[window][mine]
        # sorted first: float sums depend on their order, and DuckDB hands
        # rows over in no fixed order (the leakage test compares builds)
        order = np.lexsort((weight, c, r))
        m = sp.csr_matrix((weight[order].astype(np.float32), (r[order], c[order])),
                          shape=(len(wanted), len(article_keys)))
        vectors = m @ article_vectors
        has = np.asarray(m.sum(axis=1)).ravel() > 0
        out_c.append(wanted[has])
        out_w.append(np.full(int(has.sum()), week, dtype=np.int32))
        out_v.append(normalise_rows(np.asarray(vectors)[has]))
    if not out_c:
        return (np.empty(0, np.int32), np.empty(0, np.int32),
                np.empty((0, article_vectors.shape[1]), np.float32))
    return np.concatenate(out_c), np.concatenate(out_w), np.vstack(out_v)


SCHEMA = pa.schema([("customer_key", pa.int32()), ("week_index", pa.int32()),
                    ("article_key", pa.int32()), ("source", pa.string()),
                    ("score", pa.float64()), ("source_rank", pa.int64())])


def nearest_articles(customers: np.ndarray, weeks: np.ndarray, vectors: np.ndarray,
                     fresh: dict[int, np.ndarray], article_keys: np.ndarray,
                     article_vectors: np.ndarray, n: int, batch: int = 20_000) -> pa.Table:
    """The `n` articles nearest (cosine) to each customer vector among the
    week's `fresh` article keys: candidate rows of source 'content'."""
    index = {int(k): i for i, k in enumerate(article_keys)}
    tables = []
    for week in np.unique(weeks):
        keys = np.asarray([k for k in fresh.get(int(week), []) if int(k) in index], np.int64)
        if not len(keys):
            continue
        items = article_vectors[[index[int(k)] for k in keys]]
        k = min(n, len(keys))
        rows = np.flatnonzero(weeks == week)
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            sims = vectors[part] @ items.T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            top_sims = np.take_along_axis(sims, top, axis=1)
            # best first; equal similarity by article key
            order = np.lexsort((keys[top], -top_sims), axis=1)
            top = np.take_along_axis(top, order, axis=1)
            top_sims = np.take_along_axis(top_sims, order, axis=1)
            tables.append(pa.table({
                "customer_key": pa.array(np.repeat(customers[part], k).astype(np.int32)),
                "week_index": pa.array(np.full(len(part) * k, week, dtype=np.int32)),
                "article_key": pa.array(keys[top].ravel().astype(np.int32)),
                "source": pa.array(["content"] * (len(part) * k), pa.string()),
                "score": pa.array(top_sims.ravel().astype(np.float64)),
                "source_rank": pa.array(np.tile(np.arange(1, k + 1), len(part)).astype(np.int64)),
            }, schema=SCHEMA))
    return pa.concat_tables(tables) if tables else SCHEMA.empty_table()


def vector_matrix(table: pa.Table) -> np.ndarray:
    """The float32 (rows x dims) matrix of a content_vector column: DuckDB's
    FLOAT[dims], or a variable list of equal lengths (Spark's array, read
    from Parquet)."""
    column = table.column("content_vector").combine_chunks()
    if pa.types.is_fixed_size_list(column.type):
        dims = column.type.list_size
    else:
        lengths = pc.unique(pc.list_value_length(column)).to_pylist()
        if len(lengths) > 1 or None in lengths:
            raise ValueError(f"content vectors of unequal lengths: {sorted(map(str, lengths))}")
        dims = lengths[0] if lengths else 0
    return column.flatten().to_numpy(zero_copy_only=False).reshape(-1, dims).astype(np.float32)


def article_vector_matrix(relation) -> tuple[np.ndarray, np.ndarray]:
    """(article keys, vectors) from a DuckDB relation of feat_article_content
    (one week's rows: every week holds the same vectors)."""
    first = relation.aggregate("min(as_of_week_index)").fetchone()[0]
    table = as_table(relation.filter(f"as_of_week_index = {int(first)}")
                     .order("article_key").arrow())
    return table.column("article_key").to_numpy(), vector_matrix(table)


def fresh_articles(transactions, recent_weeks: int, weeks: Sequence[int]) -> dict[int, np.ndarray]:
    """Week -> the article keys sold in the `recent_weeks` before it, from a
    DuckDB relation of fct_transactions."""
    out = {}
    for week in sorted({int(w) for w in weeks}):
        sold = as_table(transactions.filter(
            f"week_index < {week} and week_index >= {week - int(recent_weeks)}")
            .project("article_key").distinct().arrow())
        out[week] = np.sort(sold.column("article_key").to_numpy())
    return out
