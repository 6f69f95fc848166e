{#- Rows of `relation` ranked within each group, keeping the best k.
    partition_by: comma-separated group columns; order_by: the ranking
    (best first, ties broken by the caller); the rank is `rank_column`. -#}
{% macro hm_top_k_per_group(
    relation, partition_by, order_by, k, rank_column='rank_in_group'
) -%}
    select * from (
        select
            ranked_source.*,
            row_number() over (
                partition by {{ partition_by }} order by {{ order_by }}
            ) as {{ rank_column }}
        from {{ relation }} as ranked_source
    ) as ranked
    where {{ rank_column }} <= {{ k }}
{%- endmacro %}


{#- Each group's most frequent value of `attribute` with its share of the
    group's rows: columns <partition_by>, favourite_<name>,
    favourite_<name>_share. Ties go to the greatest value. One hash
    aggregate and no window sort, so it stays cheap at full scale. -#}
{% macro hm_favourite(relation, partition_by, attribute, name) -%}
    select
        {{ partition_by }},
        {{ hm_arg_max(attribute, 'n_rows') }} as favourite_{{ name }},
        max(n_rows) * 1.0 / sum(n_rows) as favourite_{{ name }}_share
    from (
        select {{ partition_by }}, {{ attribute }}, count(*) as n_rows
        from {{ relation }}
        where {{ attribute }} is not null
        group by {{ partition_by }}, {{ attribute }}
    ) as counted
    group by {{ partition_by }}
{%- endmacro %}


{#- The value of `value` on the row with the greatest `key` (ties: the
    greatest value), as an aggregate. -#}
{% macro hm_arg_max(value, key) -%}
    {{ return(adapter.dispatch('hm_arg_max', 'hm_warehouse')(value, key)) }}
{%- endmacro %}

{% macro default__hm_arg_max(value, key) -%}
    arg_max({{ value }}, ({{ key }}, {{ value }}))
{%- endmacro %}

{% macro spark__hm_arg_max(value, key) -%}
    max_by({{ value }}, struct({{ key }}, {{ value }}))
{%- endmacro %}
