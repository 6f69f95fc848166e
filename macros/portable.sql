{#- Engine-specific SQL behind dispatch, so models stay portable. -#}

{#- True when a file exists (run-time check; false at parse time). -#}
{% macro hm_file_exists(path) -%}
    {%- set result = run_query(
        "select count(*) from glob('" ~ path ~ "')"
    ) -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{%- endmacro %}
