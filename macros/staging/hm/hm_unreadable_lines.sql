{#-
    The hooks of a base model around DuckDB's `store_rejects` (set in each
    csv source's read_csv in _hm__sources.yml): lines DuckDB cannot split
    into the source's columns plus the spare ones are set aside in the
    connection's temporary table `hm_rejects_<table name>` (line number,
    error type, the line's text) instead of failing the read.

    The pre-hook empties that table (DuckDB appends to it on every read).
    The post-hook, after the table is built, in the same transaction:
    1. stops the build, naming the file, the line and DuckDB's reason, when
       a line failed for another reason than too many fields (an
       unterminated quote, bad UTF-8): its row boundaries cannot be trusted;
    2. moves source_row (when the model numbers its rows) past the lines set
       aside, so it stays the row's line in the file;
    3. adds each set-aside line to the quarantine: rejection_reason 'too
       many fields', its line as source_row, its text as raw_row and its
       first field as `first_raw_column` (the customer of a
       sample_submission row still gets a submission row).
    A Parquet source has no such lines: both hooks are then no-ops.
-#}
{% macro hm_unreadable_lines_pre_hook(table_name) -%}
    {{ return(adapter.dispatch('hm_unreadable_lines_pre_hook', 'hm_warehouse')(table_name)) }}
{%- endmacro %}

{% macro default__hm_unreadable_lines_pre_hook(table_name) -%}
    drop table if exists temp.main.hm_rejects_{{ table_name }};
    drop table if exists temp.main.hm_rejects_scan_{{ table_name }}
{%- endmacro %}


{% macro hm_unreadable_lines_post_hook(
    source_name, table_name, entity, first_raw_column, numbers_rows
) -%}
    {{ return(adapter.dispatch('hm_unreadable_lines_post_hook', 'hm_warehouse')(
        source_name, table_name, entity, first_raw_column, numbers_rows
    )) }}
{%- endmacro %}

{% macro default__hm_unreadable_lines_post_hook(
    source_name, table_name, entity, first_raw_column, numbers_rows
) -%}
    {%- set path = hm_source_path(source_name, table_name) if execute else '' -%}
    {%- if path.endswith('.parquet') or not execute -%}
        select 1
    {%- else -%}
        {%- set rejects = 'temp.main.hm_rejects_' ~ table_name -%}
        {%- set lines -%}
            (
                select line, any_value(csv_line) as csv_line
                from {{ rejects }}
                group by line
            )
        {%- endset -%}
        select error(
            'hm source file ' || {{ hm_sql_string(path) }} || ' line '
            || line || ' cannot be read (' || error_type || ': '
            || error_message || '): ' || left(csv_line, 300)
        )
        from {{ rejects }}
        where error_type != 'TOO MANY COLUMNS'
        limit 1;
        {% if numbers_rows -%}
        update {{ this }}
        set source_row = source_row + (
            select count(*)
            from (
                select line - row_number() over (order by line) as first_after
                from {{ lines }}
            )
            where first_after <= source_row
        )
        where exists (select 1 from {{ rejects }});
        {% endif -%}
        insert into {{ this }} by name
        select
            {{ hm_reason(entity, 'too many fields') }} as rejection_reason,
            {{ hm_source_file_name(source_name, table_name) }} as source_file,
            {% if numbers_rows -%}
            line - 1 as source_row,
            {% endif -%}
            csv_line as raw_row,
            true as has_extra_fields,
            true as is_set_aside,
            split_part(csv_line, ',', 1) as {{ first_raw_column }}
        from {{ lines }}
    {%- endif -%}
{%- endmacro %}


{#- Spark sets no line aside: its csv source reads every line, and a line
    with more fields than the source's columns is split again from its text
    (spark__hm_csv_source), so both hooks are no-ops there. -#}
{% macro spark__hm_unreadable_lines_pre_hook(table_name) -%}
    select 1
{%- endmacro %}

{% macro spark__hm_unreadable_lines_post_hook(
    source_name, table_name, entity, first_raw_column, numbers_rows
) -%}
    select 1
{%- endmacro %}
