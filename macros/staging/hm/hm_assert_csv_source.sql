{#-
    Stops the build, naming the file, when a source csv of the H&M files
    cannot be staged: the file is missing, empty (0 bytes or no header line),
    or its header is not the expected one. Called at the top of each base
    model; runs only when dbt executes (not at parse time, not in unit
    tests, whose inputs are fixtures).

    The expected header is the ordered `columns:` list of the source in
    `_hm__sources.yml` (read from the graph, so it is written once); the file
    path is `<meta.data_dir>/<table name>.csv`, as in the source's
    `external_location`. read_csv maps fields by position,
    so a header with the right columns in another order is an error too.
    Only the first line is read (parallel=false, a delimiter that never
    occurs, no quoting), so the check is cheap on a 3.5 GB file.
-#}
{% macro hm_assert_csv_source(source_name, table_name) -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set node = hm_source_node(source_name, table_name) -%}
        {%- set path = hm_source_path(source_name, table_name) -%}
        {%- set expected = node.columns.keys() | list -%}
        {%- do hm_assert_source_definition(node, expected) -%}
        {%- set header = hm_read_csv_header(path) -%}
        {%- set found = [] -%}
        {%- for field in header.split(',') -%}
            {%- do found.append(field.strip().strip('"')) -%}
        {%- endfor -%}
        {%- if found != expected -%}
            {%- set missing = expected | reject('in', found) | list -%}
            {%- set unexpected = found | reject('in', expected) | list -%}
            {%- set lines = [
                "hm source file " ~ path ~ " (source " ~ source_name ~ "."
                ~ table_name ~ ") has an unexpected header.",
                "  expected " ~ expected | length ~ " columns: "
                ~ expected | join(','),
                "  found    " ~ found | length ~ " columns: "
                ~ found | join(','),
                "  missing columns:    "
                ~ (missing | join(',') if missing else '(none)'),
                "  unexpected columns: "
                ~ (unexpected | join(',') if unexpected else '(none)'),
            ] -%}
            {%- if not missing and not unexpected -%}
                {%- do lines.append(
                    "  the columns are in a different order: fields are"
                    ~ " read by position, so the order must match"
                ) -%}
            {%- endif -%}
            {{- exceptions.raise_compiler_error(lines | join('\n')) -}}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- The graph node of source `source_name.table_name`. -#}
{% macro hm_source_node(source_name, table_name) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name
            and node.name == table_name -%}
            {%- do return(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error(
        "no source " ~ source_name ~ "." ~ table_name ~ " in the project"
    ) -}}
{%- endmacro %}


{#- The path of a csv source's file, `<meta.data_dir>/<table name>.csv`,
    as its external_location in _hm__sources.yml builds it. -#}
{% macro hm_source_path(source_name, table_name) -%}
    {%- set node = hm_source_node(source_name, table_name) -%}
    {%- do return(node.meta['data_dir'] ~ '/' ~ node.identifier ~ '.csv') -%}
{%- endmacro %}


{#- The file name of a csv source, `<table name>.csv`, as a sql string
    literal: the `source_file` column of the base models. -#}
{% macro hm_source_file_name(source_name, table_name) -%}
    '{{ table_name }}.csv'
{%- endmacro %}


{#- Consistency of the source definition in _hm__sources.yml: its
    meta.data_dir is the var data_dir as models see it, and its read_csv
    columns map names the same columns, in the same order, as its
    `columns:` list. -#}
{% macro hm_assert_source_definition(node, expected) -%}
    {%- if node.meta['data_dir'] != var('data_dir') -%}
        {{- exceptions.raise_compiler_error(
            "source " ~ node.source_name ~ " in _hm__sources.yml: meta.data_dir"
            ~ " (" ~ node.meta['data_dir'] ~ ") differs from the dbt var"
            ~ " data_dir (" ~ var('data_dir') ~ "); update the meta.data_dir"
            ~ " expression to match the var's default in dbt_project.yml"
        ) -}}
    {%- endif -%}
    {%- set read_columns = modules.re.findall(
        "'([^']+)'\\s*:\\s*'VARCHAR'", node.meta['external_location']
    ) -%}
    {%- if read_columns != expected + hm_spare_fields() -%}
        {{- exceptions.raise_compiler_error(
            "source " ~ node.source_name ~ "." ~ node.name
            ~ " in _hm__sources.yml: the read_csv columns map ("
            ~ read_columns | join(',') ~ ") differs from the columns list ("
            ~ expected | join(',') ~ ") followed by the spare fields ("
            ~ hm_spare_fields() | join(',') ~ ")"
        ) -}}
    {%- endif -%}
{%- endmacro %}


{#- The first line of the file at `path`, without a UTF-8 byte order mark
    or a trailing carriage return; raises if the file is missing, has 0
    bytes or has no header line. -#}
{% macro hm_read_csv_header(path) -%}
    {%- set literal = hm_sql_string(path) -%}
    {%- set files = run_query(
        "select count(*) as n from glob(" ~ literal ~ ")"
    ) -%}
    {%- if files.columns[0].values()[0] == 0 -%}
        {#- the same name in another format (.csv.gz, .parquet): say so -#}
        {%- set stem = path[:-4] if path.endswith('.csv') else path -%}
        {%- set others = run_query(
            "select file from glob(" ~ hm_sql_string(stem ~ '.*') ~ ")"
            ~ " order by file"
        ).columns[0].values() -%}
        {%- set hint = (
            "; found " ~ others | join(', ') ~ " instead: the project reads"
            ~ " only csv, so convert it first, for example with DuckDB:"
            ~ " COPY (FROM '" ~ others[0] ~ "') TO '" ~ path ~ "' (HEADER)"
        ) if others else '' -%}
        {{- exceptions.raise_compiler_error(
            "hm source file " ~ path ~ " is missing (data_dir = "
            ~ var('data_dir') ~ "; set the dbt var data_dir or the env var"
            ~ " HM_DATA_DIR to the directory holding the csv files)" ~ hint
        ) -}}
    {%- endif -%}
    {%- set size = run_query(
        "select size from read_blob(" ~ literal ~ ")"
    ).columns[0].values()[0] -%}
    {%- if size == 0 -%}
        {{- exceptions.raise_compiler_error(
            "hm source file " ~ path ~ " is empty (0 bytes): expected a"
            ~ " header line and rows"
        ) -}}
    {%- endif -%}
    {%- set first_line = run_query(
        "select rtrim(ltrim(line, chr(65279)), chr(13)) as line"
        ~ " from read_csv(" ~ literal ~ ", header=false,"
        ~ " columns={'line': 'VARCHAR'}, delim=chr(1), quote='', escape='',"
        ~ " auto_detect=false, strict_mode=false, parallel=false) limit 1"
    ).columns[0].values() -%}
    {%- if first_line | length == 0 or first_line[0] is none
        or first_line[0].strip() == '' -%}
        {{- exceptions.raise_compiler_error(
            "hm source file " ~ path ~ " is empty: it has no header line"
            ~ " (" ~ size ~ " bytes, first line blank)"
        ) -}}
    {%- endif -%}
    {%- do return(first_line[0]) -%}
{%- endmacro %}


{#- The spare columns each csv source reads after its real ones (the
    read_csv columns maps in _hm__sources.yml end with them): a row with up
    to this many extra fields is read, then quarantined as 'too many
    fields'. -#}
{% macro hm_spare_fields() -%}
    {{ return(['hm_spare_1', 'hm_spare_2', 'hm_spare_3']) }}
{%- endmacro %}
