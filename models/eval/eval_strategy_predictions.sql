{#- The top-12 list of every strategy for the scored customers of the
    validation week and (when the hidden week is present) the prediction
    week: the public baselines, ALS alone, the ranker and the submission. -#}
{%- set k = 12 %}
with

labels as (

    select distinct
        customer_id,
        week_index
    from {{ ref('eval_labels') }}

),

repurchase as (

    select * from {{ ref('cand_repurchase') }}

),

popular as (

    select * from {{ ref('cand_popular') }}

),

popular_age as (

    select * from {{ ref('cand_popular_age') }}

),

als as (

    select * from {{ ref('cand_als') }}

),

ranker as (

    select * from {{ ref('ml_ranker_scores') }}

),

submission_rows as (

    select * from {{ ref('submission_rows') }}

),

own_then_popular as (

    -- own recent purchases first, then the popular list
    select
        customer_id,
        week_index,
        article_id,
        min(list_rank) as list_rank
    from (
        select
            customer_id,
            week_index,
            article_id,
            source_rank as list_rank
        from repurchase
        union all
        select
            customer_id,
            week_index,
            article_id,
            1000 + source_rank as list_rank
        from popular
    ) as both_lists
    group by customer_id, week_index, article_id

),

unioned as (

    select
        'popular_last_week' as strategy,
        customer_id,
        week_index,
        article_id,
        source_rank as list_rank
    from popular
    union all
    select
        'popular_age_bucket' as strategy,
        customer_id,
        week_index,
        article_id,
        source_rank as list_rank
    from popular_age
    union all
    select
        'own_recent_then_popular' as strategy,
        customer_id,
        week_index,
        article_id,
        list_rank
    from own_then_popular
    union all
    select
        'als' as strategy,
        customer_id,
        week_index,
        article_id,
        source_rank as list_rank
    from als
    union all
    select
        'ranker' as strategy,
        customer_id,
        week_index,
        article_id,
        rank as list_rank
    from ranker
    union all
    select
        'submission' as strategy,
        customer_id,
        0 as week_index,
        article_id,
        prediction_rank as list_rank
    from submission_rows

),

scored_customers as (

    select unioned.*
    from unioned
    inner join labels
        on unioned.customer_id = labels.customer_id
        and unioned.week_index = labels.week_index

),

final as (

    select
        ---------- ids
        strategy,
        customer_id,
        week_index,
        article_id,

        ---------- numerics
        prediction_rank

    from (
        {{ hm_top_k_per_group(
            'scored_customers', 'strategy, customer_id, week_index',
            'list_rank, article_id', k, rank_column='prediction_rank'
        ) }}
    ) as top_k

)

select * from final
