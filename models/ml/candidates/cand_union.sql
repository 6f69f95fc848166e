{#- All candidate sources in one row per (customer, week, article): the
    best rank and score of each source (null when the source did not
    propose the article) and how many sources proposed it.

    At full scale the sources hold 160M rows for 114M candidates. A hash
    aggregate of them runs out of memory even at 9 GB, so the pivot is a
    window over one partition per candidate (a sort, which spills), keyed by
    the integer customer_key and article_key. Measured on the full-scale
    sources before the integer keys (the sort then keyed by a surrogate
    computed here): 547 s at a 10.6 GB peak with DuckDB's memory_limit at
    9 GB. -#}
{%- set sources = hm_candidate_sources() %}
with

unioned {{ hm_cte_inlined() }} (

    {% for source in hm_candidate_sources(rows=true) %}
    select
        customer_key,
        week_index,
        article_key,
        {{ loop.index }} as source_no,
        score,
        source_rank
    from {{ ref(source.model) }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

pivoted as (

    select
        unioned.customer_key,
        unioned.week_index,
        unioned.article_key,
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
        -- one row per candidate: its first source's (each source proposes
        -- a candidate once, as its tests check; an unordered row_number
        -- would pick one too, but Spark refuses it)
        unioned.source_no,
        min(unioned.source_no) over candidate as first_source_no
    from unioned
    window candidate as (
        partition by
            unioned.customer_key, unioned.week_index, unioned.article_key
    )

),

final as (

    select
        ---------- ids
        pivoted.customer_key,
        pivoted.week_index,
        pivoted.article_key,

        ---------- numerics
        {% for source in sources %}
        pivoted.rank_{{ source }},
        pivoted.score_{{ source }},
        {% endfor %}
        {{ hm_source_count(sources, 'pivoted.rank_') }} as n_sources,
        pivoted.best_rank

    from pivoted
    where pivoted.source_no = pivoted.first_source_no

)

select * from final
