{#- All candidate sources in one row per (customer, week, article): the
    best rank and score of each source (null when the source did not
    propose the article) and how many sources proposed it.

    At full scale the sources hold 160M rows for 114M candidates. A hash
    aggregate of them runs out of memory even at 9 GB, so the pivot is a
    window over one partition per candidate (a sort, which spills), and the
    sort is keyed by an integer surrogate of customer_id instead of the
    64-character id itself. Measured on the full-scale sources: 547 s at a
    10.6 GB peak with DuckDB's memory_limit at 9 GB. -#}
{%- set sources = hm_candidate_sources() %}
with

unioned as not materialized (

    {% for source in hm_candidate_sources(rows=true) %}
    select
        customer_id,
        week_index,
        article_id,
        {{ loop.index }} as source_no,
        score,
        source_rank
    from {{ ref(source.model) }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

customer_keys as (

    select
        customer_id,
        row_number() over (order by customer_id) as customer_key
    from (select distinct customer_id from unioned) as customers

),

pivoted as (

    select
        customer_keys.customer_key,
        unioned.week_index,
        unioned.article_id,
        {% for source in sources %}
        min(
            case
                when unioned.source_no = {{ loop.index }}
                    then unioned.source_rank
            end
        ) over candidate as rank_{{ source }},
        max(
            case
                when unioned.source_no = {{ loop.index }}
                    then unioned.score
            end
        ) over candidate as score_{{ source }},
        {% endfor %}
        min(unioned.source_rank) over candidate as best_rank,
        row_number() over candidate as row_in_candidate
    from unioned
    inner join customer_keys on unioned.customer_id = customer_keys.customer_id
    window candidate as (
        partition by
            customer_keys.customer_key, unioned.week_index, unioned.article_id
    )

),

final as (

    select
        ---------- ids
        customer_keys.customer_id,
        pivoted.week_index,
        pivoted.article_id,

        ---------- numerics
        {% for source in sources %}
        pivoted.rank_{{ source }},
        pivoted.score_{{ source }},
        {% endfor %}
        {{ hm_source_count(sources, 'pivoted.rank_') }} as n_sources,
        pivoted.best_rank

    from pivoted
    inner join customer_keys
        on pivoted.customer_key = customer_keys.customer_key
    where pivoted.row_in_candidate = 1

)

select * from final
