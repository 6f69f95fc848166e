"""The submission in long form: 12 distinct articles per customer of
sample_submission.csv, ranker picks first, then the customer's age-bucket
popular list, then the overall popular list (hm_warehouse.submission)."""

from hm_warehouse.submission import fill_top_k


def model(dbt, session):
    customers = (
        dbt.ref("abt_customer_weeks")
        .filter("ml_split = 'predict'")
        .project("customer_id, age_bucket")
        .df()
    )
    ranked = (
        dbt.ref("ml_ranker_scores")
        .filter("ml_split = 'predict' and rank <= 12")
        .project("customer_id, article_id, rank")
        .df()
    )
    bucket_popular = (
        dbt.ref("feat_article_age_bucket_weekly")
        .filter("as_of_week_index = 0 and bucket_rank_1w <= 12")
        .project("age_bucket, article_id, bucket_rank_1w as rank")
        .df()
    )
    article_features = dbt.ref("feat_article_weekly")
    popular = (
        article_features.filter("as_of_week_index = 0")
        .order("units_1w desc, units_4w desc, article_id")
        .limit(12)
        .project("article_id")
        .df()["article_id"]
        .tolist()
    )
    return fill_top_k(customers, ranked, bucket_popular, popular)
