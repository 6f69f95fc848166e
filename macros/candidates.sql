{#- Every candidate source has the same shape: (customer_id, week_index,
    article_id, source, score, source_rank), best first. `relation` holds
    customer_id, week_index, article_id and score (higher is better); the
    macro keeps the best `n` per customer-week. -#}
{% macro hm_candidate_ranks(relation, source, n) -%}
    select
        customer_id,
        week_index,
        article_id,
        '{{ source }}' as source,
        score,
        source_rank
    from (
        {{ hm_top_k_per_group(
            relation, 'customer_id, week_index', 'score desc, article_id', n,
            rank_column='source_rank'
        ) }}
    ) as ranked
{%- endmacro %}


{#- The candidate sources, in the order their columns appear in the union
    and the ABTs. -#}
{% macro hm_candidate_sources() -%}
    {{ return([
        'repurchase', 'same_product', 'pairs', 'popular', 'popular_age', 'als'
    ]) }}
{%- endmacro %}
