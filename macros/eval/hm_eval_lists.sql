{#- The dbt vars the shared baseline macros (macros/baselines.sql) read,
    as one dict: the generator passes the same keys from dbt_project.yml. -#}
{% macro hm_baseline_settings() -%}
    {%- set settings = {} -%}
    {%- for name in [
        'eval_k', 'n_train_weeks', 'baseline_recent_lookback_weeks',
        'rebuy_decay_grid', 'rebuy_trend_weeks', 'rebuy_own_n',
        'rebuy_tuning_sample',
    ] -%}
        {%- do settings.update({name: var(name)}) -%}
    {%- endfor -%}
    {{ return(settings) }}
{%- endmacro %}


{#- An eval_list_<strategy> model of a baseline computed from the
    transactions alone: the strategy's shared macro over fct_transactions
    for the scored customer-weeks (eval_targets). `lookback_weeks` goes to
    hm_baseline_own_then_popular. -#}
{% macro hm_eval_baseline_list(baseline, lookback_weeks=none) -%}
with

purchases as (

    select * from {{ ref('fct_transactions') }}

),

targets as (

    select * from {{ ref('eval_targets') }}

),

final as (

    {% if baseline == 'popular_last_week' -%}
    {{ hm_baseline_popular_last_week(
        'purchases', 'targets', hm_baseline_settings()
    ) }}
    {%- elif baseline == 'own_then_popular' -%}
    {{ hm_baseline_own_then_popular(
        'purchases', 'targets', hm_baseline_settings(), lookback_weeks
    ) }}
    {%- elif baseline == 'rebuy_decay_candidates' -%}
    {{ hm_rebuy_decay_candidates(
        'purchases', 'targets', hm_baseline_settings()
    ) }}
    {%- else -%}
    {{ exceptions.raise_compiler_error('unknown baseline ' ~ baseline) }}
    {%- endif %}

)

select * from final
{%- endmacro %}


{#- An eval_list_<strategy> model read from another model's ranked rows:
    the rows of the scored customer-weeks whose `rank_column` is within
    eval_k. A model without week_index (the submission, the oracle) lists
    the prediction week (`week_index` = 0). -#}
{% macro hm_eval_list_from(model, rank_column, week_index=none) -%}
with

targets as (

    select * from {{ ref('eval_targets') }}

),

listed as (

    select * from {{ ref(model) }}

),

final as (

    select
        listed.customer_id,
        targets.week_index,
        listed.article_id,
        listed.{{ rank_column }} as list_rank
    from listed
    inner join targets
        on listed.customer_id = targets.customer_id
        {% if week_index is none -%}
        and listed.week_index = targets.week_index
        {%- else -%}
        and targets.week_index = {{ week_index }}
        {%- endif %}
    where listed.{{ rank_column }} <= {{ var('eval_k') }}

)

select * from final
{%- endmacro %}
