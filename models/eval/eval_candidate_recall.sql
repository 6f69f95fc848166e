{#- Candidate recall on the validation week: the share of the articles the
    week's buyers bought that a candidate source proposes within its first n
    candidates, for every source and for the union (all sources' candidates
    ordered by best rank, then by how many sources propose them), at the
    list lengths of var `recall_at`. -#}
with

labels as (

    select
        customer_key,
        week_index,
        article_key
    from {{ ref('eval_labels') }}
    where eval_week = 'valid'

),

candidates as (

    select * from {{ ref('cand_union') }}
    where week_index = -1

),

ranked_union as (

    select
        customer_key,
        week_index,
        article_key,
        row_number() over (
            partition by customer_key, week_index
            order by {{ hm_union_order() }}
        ) as union_rank,
        {{ hm_column_list(hm_candidate_sources(), prefix='rank_') }}
    from candidates

),

labelled as (

    -- every bought pair with its rank in each source (null: not proposed)
    select
        labels.customer_key,
        ranked_union.union_rank,
        {{ hm_column_list(
            hm_candidate_sources(), prefix='ranked_union.rank_'
        ) }}
    from labels
    left join ranked_union
        on labels.customer_key = ranked_union.customer_key
        and labels.week_index = ranked_union.week_index
        and labels.article_key = ranked_union.article_key

),

found as (

    select
        count(*) as n_bought,
        {{ hm_recall_counts(hm_candidate_sources(), var('recall_at')) }}
    from labelled

),

per_source as (

    {{ hm_recall_rows(
        hm_candidate_sources() + ['union'], var('recall_at'), 'found'
    ) }}

),

final as (

    select
        ---------- ids
        source,
        n_candidates,

        ---------- numerics
        n_bought,
        n_found,
        n_found * cast(1 as double) / n_bought as recall

    from per_source

)

select * from final
