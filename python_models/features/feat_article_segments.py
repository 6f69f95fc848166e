"""The article segment of every article in every target week: KMeans with the
elbow's k (feat_segment_elbow) on feat_article_profiles, segment 0 without
history; the same segment in every week (hm_warehouse.segments)."""

from hm_warehouse.params import from_config, target_weeks
from hm_warehouse.segments import SegmentParams, segments_for


def model(dbt, session):
    params = from_config(SegmentParams, dbt.config.get("hyperparameters"))
    weeks = target_weeks(dbt.ref("dim_weeks"))
    return segments_for("article", dbt.ref("feat_article_profiles").df(),
                        dbt.ref("feat_segment_elbow").df(), weeks, params)
