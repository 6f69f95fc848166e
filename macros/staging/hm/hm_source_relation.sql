{#-
    The relation a base model reads for source `source_name.table_name`:
    `source()` itself when `<table name>.csv` is in data_dir, else the same
    read of `<table name>.csv.gz`, else `<table name>.parquet` read with
    every column as text (so the same staging and quarantine apply). Before
    it returns, it stops the build, naming the file, when the file cannot be
    staged: none of the three is there, the file is empty (0 bytes or no
    header line), or its header (a Parquet file: its column names) is not
    the expected one. At parse time and in unit tests (whose inputs are
    fixtures) it is `source()`, so the lineage is the same.

    The expected header is the ordered `columns:` list of the source in
    `_hm__sources.yml` (read from the graph, so it is written once); the csv
    path is `<meta.data_dir>/<table name>.csv`, as in the source's
    `external_location`. read_csv maps fields by position, so a csv header
    with the right columns in another order is an error too; Parquet maps
    columns by name, so there the order is free. Only the first line of a
    csv is read (parallel=false, a delimiter that never occurs, no quoting),
    so the check is cheap on a 3.5 GB file.
-#}
{% macro hm_source_relation(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- set node = hm_source_node(source_name, table_name) -%}
    {%- set expected = node.columns.keys() | list -%}
    {%- do hm_assert_source_definition(node, expected) -%}
    {%- set path = hm_source_path(source_name, table_name) -%}
    {%- if path.endswith('.parquet') -%}
        {%- do return(hm_parquet_source(path, expected, source_name, table_name)) -%}
    {%- endif -%}
    {%- set header = hm_read_csv_header(path) -%}
    {%- set found = [] -%}
    {%- for field in header.split(',') -%}
        {%- do found.append(field.strip().strip('"')) -%}
    {%- endfor -%}
    {%- if found != expected -%}
        {{- hm_raise_bad_header(path, source_name, table_name, expected, found, true) -}}
    {%- endif -%}
    {%- do return(adapter.dispatch('hm_csv_source', 'hm_warehouse')(
        relation, path, expected, source_name, table_name
    )) -%}
{%- endmacro %}


{#- The relation of a csv (or .csv.gz) source file whose header passed
    the check. DuckDB: source() itself (its external_location is the
    read_csv of the csv), or the same read_csv of the compressed file. -#}
{% macro default__hm_csv_source(relation, path, expected, source_name, table_name) -%}
    {%- if path.endswith('.gz') -%}
        {#- the same read_csv options, the compressed file -#}
        {%- set csv_literal = hm_sql_string(path[:-3]) -%}
        {%- set text = relation | string -%}
        {%- if csv_literal not in text -%}
            {{- exceptions.raise_compiler_error(
                "source " ~ source_name ~ "." ~ table_name ~ ": its"
                ~ " external_location does not read " ~ csv_literal
            ) -}}
        {%- endif -%}
        {%- do return(text | replace(csv_literal, hm_sql_string(path))) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}


{#- Spark: the file through Spark's csv source, into a temporary view of
    the session, read as the DuckDB read_csv reads it: every column text,
    an empty field '' (Spark's csv source reads it as null, so a row of the
    right width has its nulls turned back into ''), quotes doubled inside
    quoted fields. A row of another
    width (too few or too many fields: Spark pads or truncates it and keeps
    its text in _corrupt_record) is split again from its text on the commas
    outside quotes, so its fields, its empty ones and up to three extra
    ones (the spare columns) are what DuckDB reads; a fourth and later extra
    field stays in hm_spare_3. Lines break inside quoted fields unless the
    source's meta says `line_breaks_in_fields: false` (transactions: then
    the file is read in parallel). -#}
{% macro spark__hm_csv_source(relation, path, expected, source_name, table_name) -%}
    {%- set node = hm_source_node(source_name, table_name) -%}
    {%- set multiline = node.meta.get('line_breaks_in_fields', true) -%}
    {%- set view = 'hm_source_' ~ table_name -%}
    {%- set schema = [] -%}
    {%- for column in expected -%}
        {%- do schema.append('`' ~ column ~ '` string') -%}
    {%- endfor -%}
    {%- do run_query(
        "create or replace temporary view " ~ view ~ " ("
        ~ schema | join(', ') ~ ", _corrupt_record string) using csv options ("
        ~ "path " ~ hm_sql_string(path) ~ ", header 'true', mode 'PERMISSIVE',"
        ~ " columnNameOfCorruptRecord '_corrupt_record', escape '\"',"
        ~ " multiLine '" ~ ('true' if multiline else 'false') ~ "',"
        ~ " enforceSchema 'true')"
    ) -%}
    {%- set n = expected | length -%}
    {%- set columns = [] -%}
    {%- for column in expected -%}
        {%- do columns.append(
            "case when _corrupt_record is null then coalesce(`" ~ column
            ~ "`, '') else " ~ hm_spark_csv_field('hm_fields', loop.index)
            ~ " end as `" ~ column ~ "`"
        ) -%}
    {%- endfor -%}
    {%- set width = n + (hm_spare_fields() | length) -%}
    {%- for spare in hm_spare_fields() -%}
        {%- set position = n + loop.index -%}
        {%- if loop.last -%}
            {%- set field = "case when size(hm_fields) > " ~ width
                ~ " then array_join(slice(hm_fields, " ~ position ~ ", size(hm_fields)), ',')"
                ~ " else " ~ hm_spark_csv_field('hm_fields', position) ~ " end" -%}
        {%- else -%}
            {%- set field = hm_spark_csv_field('hm_fields', position) -%}
        {%- endif -%}
        {%- do columns.append(field ~ " as " ~ spare) -%}
    {%- endfor -%}
    {%- do return(
        "(select " ~ columns | join(', ') ~ " from ("
        ~ "select *,"
        ~ " case when _corrupt_record is not null then split(_corrupt_record,"
        ~ " '," ~ '(?=(?:[^"]*"[^"]*")*[^"]*$)' ~ "', -1) end as hm_fields"
        ~ " from " ~ view ~ ") as hm_read)"
    ) -%}
{%- endmacro %}


{#- Field `position` (1-based) of the split csv line `fields`, unquoted
    (a quoted field loses its quotes and has its doubled quotes halved);
    null past the end of the line. -#}
{% macro hm_spark_csv_field(fields, position) -%}
    {%- set raw = "element_at(" ~ fields ~ ", " ~ position ~ ")" -%}
    {{- "case when size(" ~ fields ~ ") < " ~ position ~ " then null"
        ~ " when startswith(" ~ raw ~ ", '\"') and endswith(" ~ raw ~ ", '\"')"
        ~ " and length(" ~ raw ~ ") > 1"
        ~ " then replace(substr(" ~ raw ~ ", 2, length(" ~ raw ~ ") - 2), '\"\"', '\"')"
        ~ " else " ~ raw ~ " end" -}}
{%- endmacro %}


{#- The error of a header (csv first line, Parquet column names) that is
    not the expected one: what is missing, what is unexpected, and for a
    csv (`ordered`) whether only the order differs. -#}
{% macro hm_raise_bad_header(path, source_name, table_name, expected, found, ordered) -%}
    {%- set missing = expected | reject('in', found) | list -%}
    {%- set unexpected = found | reject('in', expected) | list -%}
    {%- set lines = [
        "hm source file " ~ path ~ " (source " ~ source_name ~ "."
        ~ table_name ~ ") has an unexpected "
        ~ ("header." if ordered else "set of columns."),
        "  expected " ~ expected | length ~ " columns: "
        ~ expected | join(','),
        "  found    " ~ found | length ~ " columns: "
        ~ found | join(','),
        "  missing columns:    "
        ~ (missing | join(',') if missing else '(none)'),
        "  unexpected columns: "
        ~ (unexpected | join(',') if unexpected else '(none)'),
    ] -%}
    {%- if ordered and not missing and not unexpected -%}
        {%- do lines.append(
            "  the columns are in a different order: fields are"
            ~ " read by position, so the order must match"
        ) -%}
    {%- endif -%}
    {{- exceptions.raise_compiler_error(lines | join('\n')) -}}
{%- endmacro %}


{#- A Parquet source file read as the csv sources are: every expected
    column as text (a date or timestamp as YYYY-MM-DD, a null as the empty
    field a csv would hold), then the spare columns (always null: a Parquet
    row cannot have extra fields). Stops the build, naming the file, when
    its column names are not the expected set. -#}
{% macro hm_parquet_source(path, expected, source_name, table_name) -%}
    {%- set literal = hm_sql_string(path) -%}
    {%- set described = run_query(
        "select column_name, column_type from"
        ~ " (describe select * from read_parquet(" ~ literal ~ "))"
    ) -%}
    {%- set types = {} -%}
    {%- for row in described.rows -%}
        {%- do types.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set found = types.keys() | list -%}
    {%- if found | sort != expected | sort -%}
        {{- hm_raise_bad_header(path, source_name, table_name, expected, found, false) -}}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in expected -%}
        {%- set quoted = '"' ~ column ~ '"' -%}
        {%- set type = types[column] | upper -%}
        {%- if type == 'DATE' or type.startswith('TIMESTAMP') -%}
            {%- set text = "strftime(" ~ quoted ~ ", '%Y-%m-%d')" -%}
        {%- else -%}
            {%- set text = "cast(" ~ quoted ~ " as varchar)" -%}
        {%- endif -%}
        {%- do columns.append("coalesce(" ~ text ~ ", '') as " ~ quoted) -%}
    {%- endfor -%}
    {%- for spare in hm_spare_fields() -%}
        {%- do columns.append("cast(null as varchar) as " ~ spare) -%}
    {%- endfor -%}
    {%- do return(
        "(select " ~ columns | join(', ') ~ " from read_parquet(" ~ literal ~ "))"
    ) -%}
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


{#- The formats a source file may come in, in the order they are looked
    for: `<table name>.csv` wins when several are there. -#}
{% macro hm_source_formats() -%}
    {{ return(['csv', 'csv.gz', 'parquet']) }}
{%- endmacro %}


{#- The path of a source's file: `<meta.data_dir>/<table name>.csv`, as its
    external_location in _hm__sources.yml builds it, or at run time the
    `.csv.gz` or `.parquet` file of that name when there is no csv (the csv
    path when there is none of them: the error then names it). -#}
{% macro hm_source_path(source_name, table_name) -%}
    {%- set node = hm_source_node(source_name, table_name) -%}
    {%- set stem = node.meta['data_dir'] ~ '/' ~ node.identifier -%}
    {%- if execute -%}
        {%- for format in hm_source_formats() -%}
            {%- if hm_file_exists(stem ~ '.' ~ format) -%}
                {%- do return(stem ~ '.' ~ format) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do return(stem ~ '.csv') -%}
{%- endmacro %}


{#- The file name of a source as read (`<table name>.csv`, or `.csv.gz` /
    `.parquet` when that is the file there), as a sql string literal: the
    `source_file` column of the base models (`<table name>.csv` at parse
    time and in unit tests). -#}
{% macro hm_source_file_name(source_name, table_name) -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {{ hm_sql_string(hm_source_path(source_name, table_name).split('/') | last) }}
    {%- else -%}
        '{{ table_name }}.csv'
    {%- endif -%}
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
    {%- if not hm_file_exists(path) -%}
        {#- the same name in another format (.csv.gz, .parquet): say so -#}
        {%- set stem = path[:-4] if path.endswith('.csv') else path -%}
        {%- set others = hm_glob_files(stem ~ '.*') -%}
        {%- set hint = (
            "; found " ~ others | join(', ') ~ " instead: the project reads"
            ~ " " ~ stem ~ ".csv, .csv.gz or .parquet, so convert it first,"
            ~ " for example with DuckDB: COPY (FROM '" ~ others[0] ~ "') TO '"
            ~ stem ~ ".parquet'"
        ) if others else '' -%}
        {{- exceptions.raise_compiler_error(
            "hm source file " ~ path ~ " is missing (nor is there a .csv.gz"
            ~ " or .parquet file of that name; data_dir = "
            ~ var('data_dir') ~ "; set the dbt var data_dir or the env var"
            ~ " HM_DATA_DIR to the directory holding the files)" ~ hint
        ) -}}
    {%- endif -%}
    {%- set size = hm_file_size(path) -%}
    {%- if size == 0 -%}
        {{- exceptions.raise_compiler_error(
            "hm source file " ~ path ~ " is empty (0 bytes): expected a"
            ~ " header line and rows"
        ) -}}
    {%- endif -%}
    {%- set first_line = hm_first_line(path) -%}
    {%- if first_line is none or first_line.strip() == '' -%}
        {{- exceptions.raise_compiler_error(
            "hm source file " ~ path ~ " is empty: it has no header line"
            ~ " (" ~ size ~ " bytes, first line blank)"
        ) -}}
    {%- endif -%}
    {%- do return(first_line) -%}
{%- endmacro %}


{#- The spare columns each csv source reads after its real ones (the
    read_csv columns maps in _hm__sources.yml end with them): a row with up
    to this many extra fields is read, then quarantined as 'too many
    fields'. -#}
{% macro hm_spare_fields() -%}
    {{ return(['hm_spare_1', 'hm_spare_2', 'hm_spare_3']) }}
{%- endmacro %}
