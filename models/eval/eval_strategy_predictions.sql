{#- The top-12 list of every strategy of the registry (seed hm_strategies)
    for the scored customer-weeks: each strategy's list is its model
    eval_list_<strategy>. -#}
with

targets as (

    select * from {{ ref('eval_targets') }}

),

unioned as (

    {% for strategy in hm_strategy_names() %}
    select
        '{{ strategy }}' as strategy,
        customer_key,
        week_index,
        article_key,
        list_rank
    from {{ ref('eval_list_' ~ strategy) }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

scored_customers as (

    select unioned.*
    from unioned
    inner join targets
        on unioned.customer_key = targets.customer_key
        and unioned.week_index = targets.week_index

),

final as (

    select
        ---------- ids
        strategy,
        customer_key,
        week_index,
        article_key,

        ---------- numerics
        prediction_rank

    from (
        {{ hm_top_k_per_group(
            'scored_customers', 'strategy, customer_key, week_index',
            'list_rank, article_key', var('eval_k'),
            rank_column='prediction_rank'
        ) }}
    ) as top_k

)

select * from final
