{#- Candidate source "popular_age": the articles sold most last week to
    customers of the customer's age bucket (cold-start customers included). -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

bucket_articles as (

    select * from {{ ref('feat_article_age_bucket_weekly') }}
    where bucket_rank_1w <= {{ var('popular_age_n') }}

),

final as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        bucket_articles.article_key,
        'popular_age' as source,
        bucket_articles.bucket_share_1w as score,
        bucket_articles.bucket_rank_1w as source_rank
    from customer_weeks
    inner join bucket_articles
        on customer_weeks.week_index = bucket_articles.as_of_week_index
        and customer_weeks.age_bucket = bucket_articles.age_bucket

)

select * from final
