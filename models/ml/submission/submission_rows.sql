{#- The submission in long form: for every customer of sample_submission.csv
    exactly var('submission_n') distinct articles, the ranker's picks first,
    then the customer's age-bucket best sellers of the last week, then the
    overall best sellers (cold-start customers get the last two; a customer
    whose sample_submission row staging quarantined gets the overall best
    sellers under the id as written). -#}
with

staged_customers as (

    select
        customer_id,
        age_bucket
    from {{ ref('spine_customer_weeks') }}
    where ml_split = 'predict'

),

unstaged_customers as (

    -- sample_submission rows that staging quarantined (an unknown or
    -- malformed id, a short row): Kaggle still scores one row per id of
    -- the file, so each gets the overall best sellers under its id as
    -- written; a duplicate line needs no second row
    select distinct
        raw_customer_id as customer_id,
        cast(null as varchar) as age_bucket
    from {{ ref('stg_hm__sample_submission_rejected') }}
    where
        rejection_reason != 'duplicate customer_id'
        and raw_customer_id != ''

),

customers as (

    select * from staged_customers

    union all

    select * from unstaged_customers
    where
        unstaged_customers.customer_id not in (
            select staged_customers.customer_id from staged_customers
        )

),

ranker_picks as (

    select
        customer_id,
        article_id,
        rank as fill_order
    from {{ ref('ranker_scores') }}
    where ml_split = 'predict' and rank <= {{ var('submission_n') }}

),

age_bucket_popular as (

    select
        age_bucket,
        article_id,
        bucket_rank_1w as fill_order
    from {{ ref('feat_article_age_bucket_weekly') }}
    where as_of_week_index = 0 and bucket_rank_1w <= {{ var('submission_n') }}

),

overall_popular as (

    select
        article_id,
        row_number() over (
            order by units_1w desc, units_4w desc, article_id asc
        ) as fill_order
    from {{ ref('feat_article_weekly') }}
    where as_of_week_index = 0
    qualify fill_order <= {{ var('submission_n') }}

),

filled as (

    select
        customers.customer_id,
        ranker_picks.article_id,
        0 as tier,
        ranker_picks.fill_order
    from customers
    inner join ranker_picks on customers.customer_id = ranker_picks.customer_id

    union all

    select
        customers.customer_id,
        age_bucket_popular.article_id,
        1 as tier,
        age_bucket_popular.fill_order
    from customers
    inner join age_bucket_popular
        on customers.age_bucket = age_bucket_popular.age_bucket

    union all

    select
        customers.customer_id,
        overall_popular.article_id,
        2 as tier,
        overall_popular.fill_order
    from customers
    cross join overall_popular

),

first_offer as (

    -- an article offered by several tiers keeps its first place
    select *
    from filled
    qualify
        row_number() over (
            partition by customer_id, article_id
            order by tier, fill_order
        ) = 1

),

ranked as (

    {{ hm_top_k_per_group(
        'first_offer', 'customer_id', 'tier, fill_order, article_id',
        var('submission_n'), 'prediction_rank'
    ) }}

),

final as (

    select
        ---------- ids
        customer_id,
        article_id,

        ---------- strings
        case tier
            when 0 then 'ranker'
            when 1 then 'popular_age_bucket'
            else 'popular'
        end as filled_from,

        ---------- numerics
        prediction_rank

    from ranked

)

select * from final
