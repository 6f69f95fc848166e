{#- ref() as dbt's, except in analyses: there the relation leaves out the
    database (catalog) part. DuckDB names the catalog after the warehouse
    file (`hm` for warehouse/hm.duckdb), so a compiled analysis that names
    it runs only against a file of that name; without it, the SQL runs in
    any connection whose default catalog is the warehouse (the DuckDB CLI
    on any copy of the file, HM_DUCKDB_PATH set to another name). -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if model is defined and model.resource_type == 'analysis' -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
