{#- The rows of an optional source of the generator's hidden week
    (`<data_dir>/hidden/<table>.csv`) when its file exists, else an empty
    relation with the source's columns (all text): generated data has the
    file, the real Kaggle data does not. The source() call registers the
    lineage at parse time either way. -#}
{% macro hm_optional_hidden_source(table_name) -%}
    {%- set relation = source('hm_hidden', table_name) -%}
    {%- set present = false -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- set node = hm_source_node('hm_hidden', table_name) -%}
        {%- set path = node.meta['data_dir'] ~ '/hidden/' ~ node.identifier ~ '.csv' -%}
        {%- set present = hm_file_exists(path) -%}
        {%- set columns = node.columns.keys() | list -%}
    {%- endif -%}
    {%- if present -%}
    select * from {{ adapter.dispatch('hm_csv_source', 'hm_warehouse')(
        relation, path, columns, 'hm_hidden', table_name
    ) }}
    {%- else -%}
    select
        {% for column in columns -%}
        cast(null as {{ api.Column.translate_type('string') }})
            as {{ column }}{{ ',' if not loop.last }}
        {% endfor -%}
    where 1 = 0
    {%- endif -%}
{%- endmacro %}
