{#- Models land in a schema named after their layer (staging, marts, features,
    ml, eval) so analysts query `marts.dim_customers`, not `main_marts`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
