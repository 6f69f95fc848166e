{#- MAP@12, recall@12, precision@12 and hit-rate@12 of every strategy on the
    validation week and the hidden week, overall and per segment. -#}
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

by_segment as (

    {% for segment_type, segment in segments.items() %}
    select
        strategy,
        eval_week,
        '{{ segment_type }}' as segment_type,
        {{ segment }} as segment,
        -- exact decimal sums: a double sum depends on the order parallel
        -- threads add rows in, and this mart must reproduce to the last digit
        avg(average_precision::decimal(38, 18))::double as map_at_12,
        avg(recall::decimal(38, 18))::double as recall_at_12,
        avg(precision::decimal(38, 18))::double as precision_at_12,
        avg(is_hit::decimal(38, 18))::double as hit_rate_at_12,
        count(*) as n_customers
    from customer_metrics
    group by strategy, eval_week, {{ segment }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

final as (

    select
        ---------- ids
        strategy,
        eval_week,
        segment_type,
        segment,

        ---------- numerics
        map_at_12,
        recall_at_12,
        precision_at_12,
        hit_rate_at_12,
        n_customers

    from by_segment

)

select * from final
