{#- Every candidate source has the same shape: (customer_key, week_index,
    article_key, source, score, source_rank), best first. `relation` holds
    customer_key, week_index, article_key and score (higher is better); the
    macro keeps the best `n` per customer-week. Scores are compared rounded
    to 9 decimals, then by article_key: a sum of doubles differs in its last
    bits with the order of the additions (DuckDB's parallel sums from one
    build to the next, Spark against DuckDB), and the rank must not. -#}
{% macro hm_candidate_ranks(relation, source, n) -%}
    select
        customer_key,
        week_index,
        article_key,
        '{{ source }}' as source,
        score,
        source_rank
    from (
        {{ hm_top_k_per_group(
            relation, 'customer_key, week_index',
            'round(score, 9) desc, article_key', n,
            rank_column='source_rank'
        ) }}
    ) as ranked
{%- endmacro %}


{#- The order of the candidate union without any model: best source rank,
    then the number of sources proposing the article (the recall table's
    union and the candidates_best_rank strategy). -#}
{% macro hm_union_order() -%}
    best_rank asc, n_sources desc, article_key asc
{%- endmacro %}


{#- `prefix<name>suffix` for each name, comma-separated (a column list). -#}
{% macro hm_column_list(names, prefix='', suffix='') -%}
    {%- set columns = [] -%}
    {%- for name in names -%}
        {%- do columns.append(prefix ~ name ~ suffix) -%}
    {%- endfor -%}
    {{ columns | join(',\n        ') }}
{%- endmacro %}


{#- eval_candidate_recall: for each source and the union (`union_rank`),
    and each list length n, the count of bought pairs the source has within
    its first n candidates, as columns <source>_<n>. -#}
{% macro hm_recall_counts(sources, list_lengths) -%}
    {%- set columns = [] -%}
    {%- for source in sources + ['union'] -%}
        {%- set rank = 'union_rank' if source == 'union'
            else 'rank_' ~ source -%}
        {%- for n in list_lengths -%}
            {%- do columns.append(
                'cast(sum(case when ' ~ rank ~ ' <= ' ~ n
                ~ ' then 1 else 0 end) as bigint) as ' ~ source ~ '_' ~ n
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ columns | join(',\n        ') }}
{%- endmacro %}


{#- eval_candidate_recall: the counts of hm_recall_counts in long form, one
    row per (source, n_candidates). -#}
{% macro hm_recall_rows(sources, list_lengths, relation) -%}
    {%- set rows = [] -%}
    {%- for source in sources -%}
        {%- for n in list_lengths -%}
            {%- do rows.append(
                "select '" ~ source ~ "' as source, " ~ n
                ~ ' as n_candidates, n_bought, ' ~ source ~ '_' ~ n
                ~ ' as n_found from ' ~ relation
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}


{#- cand_union: the number of sources that proposed the row's article,
    from its per-source rank columns <prefix><source> (null: not proposed). -#}
{% macro hm_source_count(sources, prefix='rank_') -%}
    {%- set terms = [] -%}
    {%- for source in sources -%}
        {%- do terms.append(
            "case when " ~ prefix ~ source ~ " is not null then 1 else 0 end"
        ) -%}
    {%- endfor -%}
    ({{ terms | join('\n        + ') }})
{%- endmacro %}
