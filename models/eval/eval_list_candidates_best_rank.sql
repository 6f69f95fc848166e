{#- Strategy candidates_best_rank: the candidate union without any model,
    in the order of the recall table's union (macro hm_union_order). -#}
with

targets as (

    select * from {{ ref('eval_targets') }}

),

candidates as (

    select * from {{ ref('cand_union') }}

),

scored as (

    select
        candidates.customer_key,
        candidates.week_index,
        candidates.article_key,
        candidates.best_rank,
        candidates.n_sources
    from candidates
    inner join targets
        on candidates.customer_key = targets.customer_key
        and candidates.week_index = targets.week_index

),

ranked as (

    {{ hm_top_k_per_group(
        'scored', 'customer_key, week_index', hm_union_order(),
        var('eval_k'), 'list_rank'
    ) }}

),

final as (

    select
        customer_key,
        week_index,
        article_key,
        list_rank
    from ranked

)

select * from final
