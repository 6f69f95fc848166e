{#- Engine-specific SQL behind dispatch, so models stay portable. -#}

{#- `select *` minus some columns: DuckDB and Spark both spell it EXCLUDE /
    EXCEPT after the star. -#}
{% macro hm_select_except(columns) -%}
    {{ return(adapter.dispatch('hm_select_except', 'hm_warehouse')(columns)) }}
{%- endmacro %}

{% macro default__hm_select_except(columns) -%}
    exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__hm_select_except(columns) -%}
    except ({{ columns | join(', ') }})
{%- endmacro %}


{#- True when a file exists (run-time check; false at parse time). -#}
{% macro hm_file_exists(path) -%}
    {%- set result = run_query(
        "select count(*) from glob('" ~ path ~ "')"
    ) -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{%- endmacro %}
