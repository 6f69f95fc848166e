{#- MAP@12, recall@12, precision@12 and hit-rate@12 of every strategy on the
    validation week and the hidden week, overall and per segment, each set
    against the best simple baseline of the same week and segment and, on
    the hidden week of generated data, against the oracle: its share of the
    gap between the best baseline and the ceiling. -#}
{%- set segments = {
    'all': "'all'",
    'history': "case when has_history then 'with_history'"
        ~ " else 'no_history' end",
    'activity': 'activity_segment',
} %}
with

customer_metrics as (

    select * from {{ ref('eval_customer_metrics') }}

),

strategies as (

    select * from {{ ref('hm_strategies') }}

),

by_segment as (

    {% for segment_type, segment in segments.items() %}
    select
        strategy,
        eval_week,
        '{{ segment_type }}' as segment_type,
        {{ segment }} as segment,
        {{ hm_exact_mean('average_precision') }} as map_at_12,
        {{ hm_exact_mean('recall') }} as recall_at_12,
        {{ hm_exact_mean('precision') }} as precision_at_12,
        {{ hm_exact_mean('is_hit') }} as hit_rate_at_12,
        count(*) as n_customers
    from customer_metrics
    group by strategy, eval_week, {{ segment }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

with_kind as (

    select
        by_segment.*,
        strategies.strategy_kind
    from by_segment
    inner join strategies on by_segment.strategy = strategies.strategy

),

best_baselines as (

    -- the strongest simple baseline of each week and segment (ties: the
    -- first name)
    select
        eval_week,
        segment_type,
        segment,
        strategy as best_baseline,
        map_at_12 as best_baseline_map_at_12
    from (
        select
            *,
            row_number() over (
                partition by eval_week, segment_type, segment
                order by map_at_12 desc, strategy asc
            ) as baseline_rank
        from with_kind
        where strategy_kind = 'baseline'
    ) as ranked
    where baseline_rank = 1

),

oracles as (

    select
        eval_week,
        segment_type,
        segment,
        map_at_12 as oracle_map_at_12
    from with_kind
    where strategy_kind = 'oracle'

),

final as (

    select
        ---------- ids
        with_kind.strategy,
        with_kind.eval_week,
        with_kind.segment_type,
        with_kind.segment,

        ---------- strings
        with_kind.strategy_kind,
        best_baselines.best_baseline,

        ---------- numerics
        with_kind.map_at_12,
        with_kind.recall_at_12,
        with_kind.precision_at_12,
        with_kind.hit_rate_at_12,
        with_kind.n_customers,
        best_baselines.best_baseline_map_at_12,
        with_kind.map_at_12
        / nullif(best_baselines.best_baseline_map_at_12, 0)
            as map_vs_best_baseline,
        oracles.oracle_map_at_12,
        (with_kind.map_at_12 - best_baselines.best_baseline_map_at_12)
        / nullif(
            oracles.oracle_map_at_12 - best_baselines.best_baseline_map_at_12,
            0
        ) as oracle_gap_share

    from with_kind
    left join best_baselines
        on with_kind.eval_week = best_baselines.eval_week
        and with_kind.segment_type = best_baselines.segment_type
        and with_kind.segment = best_baselines.segment
    left join oracles
        on with_kind.eval_week = oracles.eval_week
        and with_kind.segment_type = oracles.segment_type
        and with_kind.segment = oracles.segment

)

select * from final
