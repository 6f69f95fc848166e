{#- Engine-specific SQL behind dispatch, so models stay portable. -#}

{#- A SQL string literal of `value`: quoted, with its quotes doubled (a
    path such as /data/o'neil/ is data, never SQL). -#}
{% macro hm_sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}


{#- True when a file exists (run-time check; false at parse time). -#}
{% macro hm_file_exists(path) -%}
    {%- set result = run_query(
        "select count(*) from glob(" ~ hm_sql_string(path) ~ ")"
    ) -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{%- endmacro %}


{#- One row per item of a space-separated list column: `key`, the item as
    list_item and its 1-based position as list_rank. -#}
{% macro hm_explode_ranked_list(relation, key, list_column) -%}
    {{ return(adapter.dispatch('hm_explode_ranked_list', 'hm_warehouse')(
        relation, key, list_column
    )) }}
{%- endmacro %}

{% macro default__hm_explode_ranked_list(relation, key, list_column) -%}
    select
        {{ key }},
        unnest(string_split({{ list_column }}, ' ')) as list_item,
        generate_subscripts(string_split({{ list_column }}, ' '), 1)
            as list_rank
    from {{ relation }}
{%- endmacro %}

{% macro spark__hm_explode_ranked_list(relation, key, list_column) -%}
    select
        {{ key }},
        list_item,
        list_position + 1 as list_rank
    from {{ relation }}
    lateral view posexplode(split({{ list_column }}, ' '))
        as list_position, list_item
{%- endmacro %}
