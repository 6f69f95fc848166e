{#- The ablation mart (var ranker_ablation): MAP@12 and recall@12 of the
    ranker with every signal ('all') and without each feature family and
    each candidate source, on the validation week and the hidden week, each
    beside 'all' and the strongest simple baseline of eval_strategies. -#}
with

lists as (

    select
        variant as strategy,
        customer_key,
        week_index,
        article_key,
        rank as prediction_rank
    from {{ ref('ranker_ablation') }}

),

variants as (

    select distinct
        variant,
        variant_kind,
        signal,
        ml_split,
        n_trees,
        n_features
    from {{ ref('ranker_ablation') }}

),

labels as (

    select
        customer_key,
        week_index,
        article_key
    from {{ ref('eval_labels') }}

),

baselines as (

    select
        eval_week,
        best_baseline,
        best_baseline_map_at_12,
        oracle_map_at_12
    from {{ ref('eval_strategies') }}
    where strategy = 'ranker' and segment_type = 'all'

),

metrics as (

    {{ hm_customer_ranking_metrics('lists', 'labels', 12) }}

),

by_variant as (

    select
        strategy as variant,
        case when week_index = 0 then 'hidden' else 'valid' end as eval_week,
        {{ hm_exact_mean('average_precision') }} as map_at_12,
        {{ hm_exact_mean('recall') }} as recall_at_12,
        count(*) as n_customers
    from metrics
    group by strategy, week_index

),

final as (

    select
        ---------- ids
        by_variant.variant,
        by_variant.eval_week,

        ---------- strings
        variants.variant_kind,
        variants.signal,
        baselines.best_baseline,

        ---------- numerics
        by_variant.map_at_12,
        by_variant.recall_at_12,
        by_variant.n_customers,
        variants.n_trees,
        variants.n_features,
        by_variant.map_at_12 - reference.map_at_12 as map_vs_all,
        baselines.best_baseline_map_at_12,
        by_variant.map_at_12
        / nullif(baselines.best_baseline_map_at_12, 0)
            as map_vs_best_baseline,
        baselines.oracle_map_at_12

    from by_variant
    inner join variants
        on by_variant.variant = variants.variant
        and by_variant.eval_week
        = case when variants.ml_split = 'predict' then 'hidden' else 'valid' end
    inner join by_variant as reference
        on by_variant.eval_week = reference.eval_week
        and reference.variant = 'all'
    left join baselines on by_variant.eval_week = baselines.eval_week

)

select * from final
