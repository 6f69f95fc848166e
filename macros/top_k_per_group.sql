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
    favourite_<name>_share for each; with `with_shares`, also <name>_shares,
    a map from every value of the attribute in the group to its share of
    the group's rows (look a value up with `<name>_shares[value]`). Ties go
    to the greatest value. Hash aggregates only (no window sort, no joins),
    so it stays cheap at full scale. -#}
{% macro hm_favourites(relation, partition_by, attributes, with_shares=false) -%}
    select
        {{ partition_by }},
        {% for name, column in attributes.items() %}
        {{ hm_arg_max(
            "case when attribute_name = '" ~ name ~ "' then attribute_value end",
            "case when attribute_name = '" ~ name ~ "' then n_rows end"
        ) }} as favourite_{{ name }},
        max(case when attribute_name = '{{ name }}' then n_rows end) * 1.0
        / sum(case when attribute_name = '{{ name }}' then n_rows end)
            as favourite_{{ name }}_share
        {%- if with_shares %},
        {{ hm_share_map(
            'attribute_value', 'n_rows', "attribute_name = '" ~ name ~ "'"
        ) }} as {{ name }}_shares
        {%- endif %}{{ ',' if not loop.last }}
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


{#- As an aggregate over the rows where `condition` holds: a map from each
    `key` to its `weight` divided by the sum of the weights (keys are
    distinct within the group), in key order, so equal groups give equal
    maps whatever order the rows come in. -#}
{% macro hm_share_map(key, weight, condition) -%}
    {{ return(adapter.dispatch('hm_share_map', 'hm_warehouse')(
        key, weight, condition
    )) }}
{%- endmacro %}

{% macro default__hm_share_map(key, weight, condition) -%}
    {%- set entries -%}
        list(
            struct_pack(k := {{ key }}, v := {{ weight }} * 1.0)
            order by {{ key }}
        ) filter (where {{ condition }})
    {%- endset -%}
    map_from_entries(list_transform(
        {{ entries }},
        lambda e: struct_pack(
            k := e.k,
            v := e.v / list_sum(list_transform({{ entries }}, lambda f: f.v))
        )
    ))
{%- endmacro %}

{% macro spark__hm_share_map(key, weight, condition) -%}
    {%- set entries -%}
        array_sort(collect_list(case when {{ condition }}
            then named_struct('k', {{ key }}, 'v', {{ weight }} * 1.0) end))
    {%- endset -%}
    map_from_entries(transform(
        {{ entries }},
        e -> named_struct(
            'k', e.k,
            'v', e.v / aggregate(transform({{ entries }}, f -> f.v), 0d, (a, b) -> a + b)
        )
    ))
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
