"""Customer and article segments: KMeans (scikit-learn) on standardised
profiles, k chosen by the elbow of the inertia curve.

The profiles (feat_customer_profiles, feat_article_profiles) describe each
customer and article by what happened before the first target week, so one
model assigns every entity once and its segment ids mean the same in every
target week; no segment sees the week it is used in. Segment 0 holds the
entities without history (customers who never bought, articles never
sold); KMeans numbers the others from 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.cluster import KMeans

from .threads import thread_limits


@dataclass(frozen=True)
class SegmentParams:
    """The dbt vars segment_<field> (and seed); threads from $HM_THREADS."""

    VAR_PREFIX: ClassVar[str] = "segment_"
    k_min: int
    k_max: int
    fit_sample: int  # rows KMeans is fit on (a seeded sample): the cost of any scale
    seed: int
    threads: int


def design_matrix(frame: pd.DataFrame, columns: Sequence[str],
                  log_columns: Sequence[str] = ()) -> np.ndarray:
    """The standardised float64 matrix of `columns`: log1p for `log_columns`,
    missing values as the column median, each column scaled to mean 0 and
    standard deviation 1 (a constant column stays 0)."""
    out = np.empty((len(frame), len(columns)), dtype=np.float64)
    for j, name in enumerate(columns):
        values = pd.to_numeric(frame[name], errors="coerce").astype(np.float64).to_numpy()
        if name in log_columns:
            values = np.log1p(np.clip(values, 0, None))
        finite = np.isfinite(values)
        fill = np.median(values[finite]) if finite.any() else 0.0
        values = np.where(finite, values, fill)
        std = values.std()
        out[:, j] = (values - values.mean()) / std if std > 0 else 0.0
    return out


def sample_rows(n: int, size: int, seed: int) -> np.ndarray:
    """At most `size` row positions of n, seeded and sorted."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


def _kmeans(k: int, params: SegmentParams) -> KMeans:
    return KMeans(n_clusters=k, n_init=2, random_state=params.seed, max_iter=100)


def inertia_curve(x: np.ndarray, params: SegmentParams) -> pd.DataFrame:
    """KMeans inertia for each k from k_min to k_max, fit on the same rows."""
    ks = [k for k in range(params.k_min, params.k_max + 1) if k <= len(x)]
    with thread_limits(params.threads):
        inertia = [float(_kmeans(k, params).fit(x).inertia_) for k in ks]
    return pd.DataFrame({"k": ks, "inertia": inertia})


def elbow_k(ks: Sequence[int], inertia: Sequence[float]) -> int:
    """The elbow of a decreasing inertia curve: the k farthest below the
    straight line from its first to its last point, both axes scaled to
    [0, 1] (the "kneedle" rule). With fewer than 3 points, the first k."""
    ks_a = np.asarray(ks, dtype=np.float64)
    y = np.asarray(inertia, dtype=np.float64)
    if len(ks_a) < 3 or y[0] == y[-1]:
        return int(ks[0])
    xs = (ks_a - ks_a[0]) / (ks_a[-1] - ks_a[0])
    ys = (y - y[-1]) / (y[0] - y[-1])
    below = (1 - xs) - ys  # the chord runs from (0, 1) to (1, 0)
    return int(ks[int(np.argmax(below))])


@dataclass(frozen=True)
class Profile:
    """How one entity's profile model becomes a KMeans design matrix."""

    key: str  # the key column (customer_key, article_key)
    segment: str  # the output column
    columns: tuple[str, ...]
    log_columns: tuple[str, ...]  # counts: log1p before scaling
    has_history: str  # the boolean column: false -> segment 0


SHARE_COLUMNS = tuple(f"share_{c}" for c in (
    "ladieswear", "divided", "menswear", "sport", "baby_children", "garment_upper_body",
    "garment_lower_body", "garment_full_body", "underwear", "swimwear", "accessories", "shoes"))
PROFILES = {
    "customer": Profile(
        "customer_key", "customer_segment",
        ("age", "n_units", "n_active_weeks", "mean_price", "online_share",
         "weeks_since_last_purchase", *SHARE_COLUMNS),
        ("n_units", "n_active_weeks", "weeks_since_last_purchase"), "has_history"),
    "article": Profile(
        "article_key", "article_segment",
        ("n_units", "n_units_4w", "mean_price", "online_share", "mean_buyer_age",
         "weeks_since_launch", *(c.replace("share_", "is_") for c in SHARE_COLUMNS)),
        ("n_units", "n_units_4w", "weeks_since_launch"), "has_sales"),
}


def sorted_profiles(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """The profile frame in key order: DuckDB hands rows over in no fixed
    order, and the fit sample is drawn by position (the leakage test builds
    the same data three times and compares the segments)."""
    return frame.sort_values(profile.key, kind="stable").reset_index(drop=True)


def profile_matrix(frame: pd.DataFrame, profile: Profile) -> tuple[np.ndarray, np.ndarray]:
    """(standardised design matrix, has-history mask) of a profile frame
    (sorted_profiles first)."""
    return (design_matrix(frame, profile.columns, profile.log_columns),
            frame[profile.has_history].fillna(False).astype(bool).to_numpy())


def _fit_rows(has_history: np.ndarray, params: SegmentParams) -> np.ndarray:
    known = np.flatnonzero(np.asarray(has_history, dtype=bool))
    return known[sample_rows(len(known), params.fit_sample, params.seed)]


def elbow_curve(x: np.ndarray, has_history: np.ndarray, params: SegmentParams) -> pd.DataFrame:
    """The inertia curve of KMeans on a sample of the rows with history,
    k_min..k_max, with the elbow's k flagged (is_chosen)."""
    rows = _fit_rows(has_history, params)
    curve = inertia_curve(x[rows], params)
    if len(curve):
        curve["is_chosen"] = curve["k"] == elbow_k(curve["k"], curve["inertia"])
    else:
        curve["is_chosen"] = pd.Series(dtype=bool)
    return curve


def assign_segments(x: np.ndarray, has_history: np.ndarray, params: SegmentParams,
                    k: int) -> np.ndarray:
    """Segment of every row: 0 without history, else 1..k by KMeans with k
    clusters fit on the same sample as the elbow curve."""
    has_history = np.asarray(has_history, dtype=bool)
    segments = np.zeros(len(x), dtype=np.int32)
    rows = _fit_rows(has_history, params)
    if len(rows) == 0:
        return segments
    k = max(1, min(int(k), len(rows)))
    with thread_limits(params.threads):
        model = _kmeans(k, params).fit(x[rows])
        known = np.flatnonzero(has_history)
        segments[known] = model.predict(x[known]).astype(np.int32) + 1
    return segments


def segment_table(keys: pa.Array | np.ndarray, key_name: str, segment_name: str,
                  segments: np.ndarray, weeks: Sequence[int]) -> pa.Table:
    """(key, as_of_week_index, segment) for every key and target week: the
    same segment in every week (the ABT joins feature families on the week)."""
    keys = np.asarray(keys)
    n_weeks = len(weeks)
    return pa.table({
        key_name: pa.array(np.tile(keys, n_weeks).astype(np.int32)),
        "as_of_week_index": pa.array(np.repeat(np.asarray(weeks, dtype=np.int32), len(keys))),
        segment_name: pa.array(np.tile(segments, n_weeks).astype(np.int32)),
    })


def segments_for(entity: str, profiles: pd.DataFrame, elbow: pd.DataFrame,
                 weeks: Sequence[int], params: SegmentParams) -> pa.Table:
    """The segment table of `entity` ('customer' or 'article') from its
    profile frame and the elbow table (feat_segment_elbow: the chosen k of
    the entity)."""
    profile = PROFILES[entity]
    profiles = sorted_profiles(profiles, profile)
    chosen = elbow[(elbow["entity"] == entity) & elbow["is_chosen"].astype(bool)]
    k = int(chosen["k"].iloc[0]) if len(chosen) else 1
    x, has_history = profile_matrix(profiles, profile)
    return segment_table(profiles[profile.key].to_numpy(), profile.key, profile.segment,
                         assign_segments(x, has_history, params, k), sorted(weeks))
