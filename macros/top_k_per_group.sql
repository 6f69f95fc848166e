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
    of the group's rows: `attributes` maps a name to a column; the result
    has <partition_by>, favourite_<name> and favourite_<name>_share for
    each. Ties go to the greatest value. With top_n = 1 it is hash
    aggregates only (no window sort, no joins). With top_n > 1 the runners-up
    come too, as favourite_<name>_<r> and favourite_<name>_<r>_share for
    r = 2 .. top_n (null when the group has fewer values), ranked by one
    window sort (spillable, so it holds at full scale). With `weight`, each
    row of `relation` counts as that many rows (pre-aggregated input). -#}
{% macro hm_favourites(
    relation, partition_by, attributes, top_n=1, weight=none
) -%}
    select
        {{ partition_by }},
        {% for name, column in attributes.items() %}
        {% set last_attribute = loop.last %}
        {% if top_n == 1 %}
        {{ hm_arg_max(
            "case when attribute_name = '" ~ name ~ "' then attribute_value end",
            "case when attribute_name = '" ~ name ~ "' then n_rows end"
        ) }} as favourite_{{ name }},
        max(case when attribute_name = '{{ name }}' then n_rows end) * cast(1 as double)
        / sum(case when attribute_name = '{{ name }}' then n_rows end)
            as favourite_{{ name }}_share{{ ',' if not last_attribute }}
        {% else %}
        {% for r in range(1, top_n + 1) %}
        {% set suffix = '' if r == 1 else '_' ~ r %}
        max(case when attribute_name = '{{ name }}' and value_rank = {{ r }}
            then attribute_value end) as favourite_{{ name }}{{ suffix }},
        max(case when attribute_name = '{{ name }}' and value_rank = {{ r }}
            then n_rows * cast(1 as double) / attribute_rows end)
            as favourite_{{ name }}{{ suffix }}_share
        {{- ',' if not (loop.last and last_attribute) }}
        {% endfor %}
        {% endif %}
        {% endfor %}
    from (
        {% if top_n > 1 %}
        select
            *,
            row_number() over (
                partition by {{ partition_by }}, attribute_name
                order by n_rows desc, attribute_value desc
            ) as value_rank,
            sum(n_rows) over (
                partition by {{ partition_by }}, attribute_name
            ) as attribute_rows
        from (
        {% endif %}
        {% for name, column in attributes.items() %}
        select
            {{ partition_by }},
            '{{ name }}' as attribute_name,
            cast({{ column }} as {{ api.Column.translate_type('string') }})
                as attribute_value,
            {% if weight is none -%}
            count(*) as n_rows
            {%- else -%}
            cast(sum({{ weight }}) as bigint) as n_rows
            {%- endif %}
        from {{ relation }}
        where {{ column }} is not null
        group by {{ partition_by }}, {{ column }}
        {{ 'union all' if not loop.last }}
        {% endfor %}
        {% if top_n > 1 %}
        ) as counted
    ) as ranked
    where value_rank <= {{ top_n }}
        {% else %}
    ) as counted
        {% endif %}
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
