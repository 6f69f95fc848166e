{#- The submission in long form: for every customer of sample_submission.csv
    exactly var('submission_n') distinct articles, the ranker's picks first,
    then the customer's age-bucket best sellers of the last week, then the
    overall best sellers (cold-start customers get the last two; a customer
    whose sample_submission row staging quarantined gets the overall best
    sellers under the id as written). -#}
with

staged_customers as (

    select
        customer_key,
        age_bucket
    from {{ ref('spine_customer_weeks') }}
    where ml_split = 'predict'

),

customer_ids as (

    select
        customer_key,
        customer_id
    from {{ ref('dim_customers') }}

),

article_ids as (

    select
        article_key,
        article_id
    from {{ ref('dim_articles') }}

),

ranker_picks as (

    select
        customer_key,
        article_key,
        rank as fill_order
    from {{ ref('ranker_scores') }}
    where ml_split = 'predict' and rank <= {{ var('submission_n') }}

),

age_bucket_popular as (

    select
        age_bucket,
        article_key,
        bucket_rank_1w as fill_order
    from {{ ref('feat_article_age_bucket_weekly') }}
    where as_of_week_index = 0 and bucket_rank_1w <= {{ var('submission_n') }}

),

overall_popular as (

    select
        article_key,
        row_number() over (
            order by units_1w desc, units_4w desc, article_key asc
        ) as fill_order
    from {{ ref('feat_article_weekly') }}
    where as_of_week_index = 0
    qualify fill_order <= {{ var('submission_n') }}

),

filled as (

    select
        staged_customers.customer_key,
        ranker_picks.article_key,
        0 as tier,
        ranker_picks.fill_order
    from staged_customers
    inner join ranker_picks
        on staged_customers.customer_key = ranker_picks.customer_key

    union all

    select
        staged_customers.customer_key,
        age_bucket_popular.article_key,
        1 as tier,
        age_bucket_popular.fill_order
    from staged_customers
    inner join age_bucket_popular
        on staged_customers.age_bucket = age_bucket_popular.age_bucket

    union all

    select
        staged_customers.customer_key,
        overall_popular.article_key,
        2 as tier,
        overall_popular.fill_order
    from staged_customers
    cross join overall_popular

),

first_offer as (

    -- an article offered by several tiers keeps its first place
    select *
    from filled
    qualify
        row_number() over (
            partition by customer_key, article_key
            order by tier, fill_order
        ) = 1

),

ranked as (

    {{ hm_top_k_per_group(
        'first_offer', 'customer_key', 'tier, fill_order, article_key',
        var('submission_n'), 'prediction_rank'
    ) }}

),

staged_rows as (

    -- the lists are made on the integer keys; the ids join in once here
    select
        ranked.customer_key,
        customer_ids.customer_id,
        ranked.article_key,
        ranked.tier,
        ranked.prediction_rank
    from ranked
    inner join customer_ids on ranked.customer_key = customer_ids.customer_key

),

unstaged_customers as (

    -- sample_submission rows that staging quarantined (an unknown or
    -- malformed id, a short row): Kaggle still scores one row per id of
    -- the file, so each gets the overall best sellers under its id as
    -- written; a duplicate line (conflicting or not) needs no second row
    select distinct raw_customer_id as customer_id
    from {{ ref('stg_hm__sample_submission_rejected') }}
    where
        rejection_reason not in (
            {{ hm_reason('sample_submission', 'duplicate customer_id') }},
            {{ hm_reason(
                'sample_submission', 'conflicting duplicate customer_id'
            ) }}
        )
        and raw_customer_id != ''
        and raw_customer_id not in (
            select staged_rows.customer_id from staged_rows
        )

),

unstaged_rows as (

    select
        cast(null as integer) as customer_key,
        unstaged_customers.customer_id,
        overall_popular.article_key,
        2 as tier,
        overall_popular.fill_order as prediction_rank
    from unstaged_customers
    cross join overall_popular

),

listed as (

    select * from staged_rows
    union all
    select * from unstaged_rows

),

final as (

    select
        ---------- ids
        listed.customer_key,
        listed.customer_id,
        listed.article_key,
        article_ids.article_id,

        ---------- strings
        case listed.tier
            when 0 then 'ranker'
            when 1 then 'popular_age_bucket'
            else 'popular'
        end as filled_from,

        ---------- numerics
        listed.prediction_rank

    from listed
    inner join article_ids on listed.article_key = article_ids.article_key

)

select * from final
