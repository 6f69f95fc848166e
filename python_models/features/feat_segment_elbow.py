"""The elbow method of the customer and article segments: KMeans inertia
for each k on a sample of each profile table, the chosen k flagged
(hm_warehouse.segments)."""

import pandas as pd

from hm_warehouse.params import from_config
from hm_warehouse.segments import (
    PROFILES,
    SegmentParams,
    elbow_curve,
    profile_matrix,
    sorted_profiles,
)


def model(dbt, session):
    params = from_config(SegmentParams, dbt.config.get("hyperparameters"))
    # dbt reads refs from literal arguments only
    inputs = {"customer": dbt.ref("feat_customer_profiles"),
              "article": dbt.ref("feat_article_profiles")}
    frames = []
    for entity, profile in PROFILES.items():
        x, has_history = profile_matrix(sorted_profiles(inputs[entity].df(), profile), profile)
        curve = elbow_curve(x, has_history, params)
        curve.insert(0, "entity", entity)
        frames.append(curve)
    return pd.concat(frames, ignore_index=True)
