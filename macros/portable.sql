{#- Engine-specific SQL behind dispatch, so models stay portable. -#}

{#- A SQL string literal of `value`: quoted, with its quotes escaped (a
    path such as /data/o'neil/ is data, never SQL). -#}
{% macro hm_sql_string(value) -%}
    {{- adapter.dispatch('hm_sql_string', 'hm_warehouse')(value) -}}
{%- endmacro %}

{% macro default__hm_sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- Spark's string literals escape with a backslash -#}
{% macro spark__hm_sql_string(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}


{#- Run-time file checks (false / empty at parse time): whether a file
    exists, the files matching a glob pattern (sorted), a file's size in
    bytes, and its first line without a UTF-8 byte order mark or a trailing
    carriage return (none when the file has no line). -#}
{% macro hm_file_exists(path) -%}
    {{ return(hm_glob_files(path) | length > 0) }}
{%- endmacro %}

{% macro hm_glob_files(pattern) -%}
    {{ return(adapter.dispatch('hm_glob_files', 'hm_warehouse')(pattern)) }}
{%- endmacro %}

{% macro default__hm_glob_files(pattern) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {{ return(run_query(
        "select file from glob(" ~ hm_sql_string(pattern) ~ ") order by file"
    ).columns[0].values() | list) }}
{%- endmacro %}

{% macro hm_file_size(path) -%}
    {{ return(adapter.dispatch('hm_file_size', 'hm_warehouse')(path)) }}
{%- endmacro %}

{% macro default__hm_file_size(path) -%}
    {{ return(run_query(
        "select size from read_blob(" ~ hm_sql_string(path) ~ ")"
    ).columns[0].values()[0]) }}
{%- endmacro %}

{% macro hm_first_line(path) -%}
    {{ return(adapter.dispatch('hm_first_line', 'hm_warehouse')(path)) }}
{%- endmacro %}

{#- only the first line is read (parallel=false, a delimiter that never
    occurs, no quoting), so the check is cheap on a 3.5 GB file -#}
{% macro default__hm_first_line(path) -%}
    {%- set lines = run_query(
        "select rtrim(ltrim(line, chr(65279)), chr(13)) as line"
        ~ " from read_csv(" ~ hm_sql_string(path) ~ ", header=false,"
        ~ " columns={'line': 'VARCHAR'}, delim=chr(1), quote='', escape='',"
        ~ " auto_detect=false, strict_mode=false, parallel=false) limit 1"
    ).columns[0].values() -%}
    {{ return(lines[0] if lines | length > 0 else none) }}
{%- endmacro %}

{#- Spark: the files of the pattern's directory are listed through the
    binaryFile source (names and sizes only; no content is read), the
    first line through the text source (which also reads .gz) -#}
{% macro spark__hm_glob_files(pattern) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- do return(hm_spark_list_files(pattern).columns[0].values() | list) -%}
{%- endmacro %}

{% macro spark__hm_file_size(path) -%}
    {%- do return(hm_spark_list_files(path).columns[1].values()[0]) -%}
{%- endmacro %}

{#- (path, length) of the files matching `pattern` (a glob of file names
    in one directory), sorted; the paths as given (no file: prefix). -#}
{% macro hm_spark_list_files(pattern) -%}
    {%- set parts = pattern.rsplit('/', 1) -%}
    {%- set directory = (parts[0] if parts | length > 1 else '.') -%}
    {%- set directory = directory[2:] if directory.startswith('./') else directory -%}
    {%- set name_glob = parts[-1] -%}
    {#- a missing directory is an error to Spark: a file under data_dir
        (hidden/ may not be there) is looked for in all of data_dir -#}
    {%- set data_dir = var('data_dir') -%}
    {%- set root = data_dir if (directory ~ '/').startswith(data_dir ~ '/') else directory -%}
    {%- do run_query(
        "create or replace temporary view hm_listed_files using binaryFile"
        ~ " options (path " ~ hm_sql_string(root) ~ ", pathGlobFilter "
        ~ hm_sql_string(name_glob) ~ ", recursiveFileLookup 'true')"
    ) -%}
    {%- set parent = "regexp_replace(path, '/[^/]*$', '')" -%}
    {%- do return(run_query(
        "select " ~ hm_sql_string(directory ~ '/') ~ " || regexp_extract(path, '[^/]*$', 0)"
        ~ " as file, length from hm_listed_files where " ~ parent ~ " = 'file:' || "
        ~ hm_sql_string(directory) ~ " or endswith(" ~ parent ~ ", "
        ~ hm_sql_string('/' ~ directory) ~ ") order by file"
    )) -%}
{%- endmacro %}

{% macro spark__hm_first_line(path) -%}
    {%- set lines = run_query(
        "select regexp_replace(value, concat('^', decode(unhex('EFBBBF'), 'UTF-8')), '')"
        ~ " from text.`" ~ path | replace('`', '``') ~ "` limit 1"
    ).columns[0].values() -%}
    {{ return(lines[0] if lines | length > 0 else none) }}
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


{#- A CTE's `as` keyword that asks the engine to inline it into each reader
    (`name {{ hm_cte_inlined() }} (`): DuckDB's `as not materialized` (it
    would otherwise materialise a CTE read twice); Spark always inlines
    CTEs and has no such clause. -#}
{% macro hm_cte_inlined() -%}
    {{- adapter.dispatch('hm_cte_inlined', 'hm_warehouse')() -}}
{%- endmacro %}

{% macro default__hm_cte_inlined() -%}
    as not materialized
{%- endmacro %}

{% macro spark__hm_cte_inlined() -%}
    as
{%- endmacro %}


{#- True when the non-null `expr` is not a value of `column` (never null)
    in `relation`: a membership test in a select list. DuckDB: `not in`
    (a mark join). Spark: `not exists`, a hash existence join (its
    null-aware `not in` in a projection is a nested loop: 65 s for 180k
    transactions against 8k customers). -#}
{% macro hm_not_among(expr, relation, column) -%}
    {{- adapter.dispatch('hm_not_among', 'hm_warehouse')(expr, relation, column) -}}
{%- endmacro %}

{% macro default__hm_not_among(expr, relation, column) -%}
    {{ expr }} not in (select {{ relation }}.{{ column }} from {{ relation }})
{%- endmacro %}

{% macro spark__hm_not_among(expr, relation, column) -%}
    not exists (
        select 1 from {{ relation }}
        where {{ relation }}.{{ column }} = {{ expr }}
    )
{%- endmacro %}


{#- The values of `expr` of each group joined by `sep` (a SQL string), in
    the order of `order_by` (a column): the submission's prediction. Spark's
    listagg drops the order, so it sorts (order_by, expr) structs. -#}
{% macro hm_ordered_join(expr, sep, order_by) -%}
    {{- adapter.dispatch('hm_ordered_join', 'hm_warehouse')(expr, sep, order_by) -}}
{%- endmacro %}

{% macro default__hm_ordered_join(expr, sep, order_by) -%}
    {{ dbt.listagg(expr, sep, 'order by ' ~ order_by) }}
{%- endmacro %}

{% macro spark__hm_ordered_join(expr, sep, order_by) -%}
    concat_ws({{ sep }}, transform(
        array_sort(collect_list(struct({{ order_by }} as k, {{ expr }} as v))), x -> x.v))
{%- endmacro %}


{#- The cosine similarity of two equal-length float arrays (content
    vectors); null when either is null. -#}
{% macro hm_cosine_similarity(left, right) -%}
    {{- adapter.dispatch('hm_cosine_similarity', 'hm_warehouse')(left, right) -}}
{%- endmacro %}

{% macro default__hm_cosine_similarity(left, right) -%}
    array_cosine_similarity({{ left }}, {{ right }})
{%- endmacro %}

{#- Spark has no vector functions: dot product over zipped elements, then
    the norms (in double); a zero vector gives null, not an ANSI-mode
    division error -#}
{% macro spark__hm_cosine_similarity(left, right) -%}
    (aggregate(zip_with({{ left }}, {{ right }}, (a, b) -> cast(a as double) * b),
               cast(0 as double), (s, x) -> s + x)
     / nullif(sqrt(aggregate({{ left }}, cast(0 as double), (s, x) -> s + cast(x as double) * x))
        * sqrt(aggregate({{ right }}, cast(0 as double), (s, x) -> s + cast(x as double) * x)), 0))
{%- endmacro %}
