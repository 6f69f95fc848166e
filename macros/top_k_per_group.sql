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


{#- Each group's most frequent value of several attributes, with its share
    of the group's rows, in one pass: `attributes` maps a name to a column;
    the result has <partition_by>, favourite_<name> and
    favourite_<name>_share for each. Ties go to the greatest value. Hash
    aggregates only (no window sort, no joins), so it stays cheap at full
    scale. -#}
{% macro hm_favourites(relation, partition_by, attributes) -%}
    select
        {{ partition_by }},
        {% for name, column in attributes.items() %}
        {{ hm_arg_max(
            "case when attribute_name = '" ~ name ~ "' then attribute_value end",
            "case when attribute_name = '" ~ name ~ "' then n_rows end"
        ) }} as favourite_{{ name }},
        max(case when attribute_name = '{{ name }}' then n_rows end) * 1.0
        / sum(case when attribute_name = '{{ name }}' then n_rows end)
            as favourite_{{ name }}_share{{ ',' if not loop.last }}
        {% endfor %}
    from (
        {% for name, column in attributes.items() %}
        select
            {{ partition_by }},
            '{{ name }}' as attribute_name,
            cast({{ column }} as {{ api.Column.translate_type('string') }})
                as attribute_value,
            count(*) as n_rows
        from {{ relation }}
        where {{ column }} is not null
        group by {{ partition_by }}, {{ column }}
        {{ 'union all' if not loop.last }}
        {% endfor %}
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
