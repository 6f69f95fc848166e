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
    the prediction week (`week_index` = 0); a model keyed by the readable ids
    (`keyed_by_id`: the oracle) is keyed through the dimensions. -#}
{% macro hm_eval_list_from(model, rank_column, week_index=none, keyed_by_id=false) -%}
with

targets as (

    select * from {{ ref('eval_targets') }}

),

{%- if keyed_by_id %}

listed as (

    -- a model of readable ids (the oracle's file): keyed by the dimensions
    select
        customers.customer_key,
        articles.article_key,
        by_id.{{ rank_column }}
    from {{ ref(model) }} as by_id
    inner join {{ ref('dim_customers') }} as customers
        on by_id.customer_id = customers.customer_id
    inner join {{ ref('dim_articles') }} as articles
        on by_id.article_id = articles.article_id

),

{%- else %}

listed as (

    select * from {{ ref(model) }}

),

{%- endif %}

final as (

    select
        listed.customer_key,
        targets.week_index,
        listed.article_key,
        listed.{{ rank_column }} as list_rank
    from listed
    inner join targets
        on listed.customer_key = targets.customer_key
        {% if week_index is none -%}
        and listed.week_index = targets.week_index
        {%- else -%}
        and targets.week_index = {{ week_index }}
        {%- endif %}
    where listed.{{ rank_column }} <= {{ var('eval_k') }}

)

select * from final
{%- endmacro %}
