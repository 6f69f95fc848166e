{#- All candidate sources in one row per (customer, week, article): the
    best rank and score of each source (null when the source did not
    propose the article) and how many sources proposed it. -#}
{%- set sources = hm_candidate_sources() %}
with

{% for source in sources %}
{{ source }} as (

    select * from {{ ref('cand_' ~ source) }}

),

{% endfor %}
unioned as (

    {% for source in sources %}
    select
        customer_id,
        week_index,
        article_id,
        source,
        score,
        source_rank
    from {{ source }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

final as (

    select
        ---------- ids
        customer_id,
        week_index,
        article_id,

        ---------- numerics
        {% for source in sources %}
        min(case when source = '{{ source }}' then source_rank end)
            as rank_{{ source }},
        max(case when source = '{{ source }}' then score end)
            as score_{{ source }},
        {% endfor %}
        {{ hm_source_count(sources) }} as n_sources,
        min(source_rank) as best_rank

    from unioned
    group by customer_id, week_index, article_id

)

select * from final
