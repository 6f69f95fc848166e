{#- Per strategy, scored week and customer: AP@12, recall, precision and
    hit@12, with the customer's segment (history, activity level). -#}
with

predictions as (

    select * from {{ ref('eval_strategy_predictions') }}

),

labels as (

    select
        customer_key,
        week_index,
        article_key
    from {{ ref('eval_labels') }}

),

customer_features as (

    select
        customer_key,
        as_of_week_index,
        has_history,
        n_units_12w
    from {{ ref('feat_customer_weekly') }}

),

metrics as (

    {{ hm_customer_ranking_metrics('predictions', 'labels', 12) }}

),

final as (

    select
        ---------- ids
        metrics.strategy,
        metrics.customer_key,
        metrics.week_index,

        ---------- strings
        case when metrics.week_index = 0 then 'hidden' else 'valid' end
            as eval_week,
        case
            when not coalesce(customer_features.has_history, false)
                then 'no_history'
            when customer_features.n_units_12w = 0 then 'inactive_12w'
            when customer_features.n_units_12w < 5 then 'light_12w'
            else 'heavy_12w'
        end as activity_segment,

        ---------- numerics
        metrics.n_bought,
        metrics.n_hits,
        metrics.average_precision,
        metrics.recall,
        metrics.precision,
        metrics.is_hit,

        ---------- booleans
        coalesce(customer_features.has_history, false) as has_history

    from metrics
    left join customer_features
        on metrics.customer_key = customer_features.customer_key
        and metrics.week_index = customer_features.as_of_week_index

)

select * from final
