{#- Strategy candidates_best_rank: the candidate union without any model,
    in the order of the recall table's union (macro hm_union_order). -#}
with

targets as (

    select * from {{ ref('eval_targets') }}

),

candidates as (

    select * from {{ ref('cand_union') }}

),

ranked as (

    select
        candidates.customer_id,
        candidates.week_index,
        candidates.article_id,
        row_number() over (
            partition by candidates.customer_id, candidates.week_index
            order by {{ hm_union_order() }}
        ) as list_rank
    from candidates
    inner join targets
        on candidates.customer_id = targets.customer_id
        and candidates.week_index = targets.week_index

),

final as (

    select * from ranked
    where list_rank <= {{ var('eval_k') }}

)

select * from final
