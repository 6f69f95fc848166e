{#-
    Parsing of the H&M csv text fields, shared by the base models. Each
    macro takes a raw VARCHAR expression and returns the typed, normalised
    value, or null when the text is empty or cannot be parsed (the base
    models turn "not empty but null after parsing" into a rejection reason).
    Patterns avoid backslashes so the same literal works on every engine.
-#}

{#- True when `expr` matches `pattern` as a whole. -#}
{% macro hm_regexp_full_match(expr, pattern) -%}
    {{ return(adapter.dispatch('hm_regexp_full_match', 'hm_warehouse')(
        expr, pattern
    )) }}
{%- endmacro %}

{% macro default__hm_regexp_full_match(expr, pattern) -%}
    regexp_like({{ expr }}, '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro duckdb__hm_regexp_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}


{#- `expr` cast to `type`, or null when it does not convert. (dbt.safe_cast
    is a plain cast on dbt-duckdb, so it would fail the build instead.) -#}
{% macro hm_try_cast(expr, type) -%}
    {{ return(adapter.dispatch('hm_try_cast', 'hm_warehouse')(expr, type)) }}
{%- endmacro %}

{% macro default__hm_try_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}


{#- article_id: 1 to 10 digits, with or without the leading zero (Kaggle
    `0108775015`, mirror `108775015`), to the 10-character zero-padded text
    id. -#}
{% macro hm_parse_article_id(expr) -%}
    case
        when {{ hm_regexp_full_match(expr, '[0-9]{1,10}') }}
            then lpad({{ expr }}, 10, '0')
    end
{%- endmacro %}


{#- product_code: 1 to 7 digits (Kaggle `0108775`, mirror `108775`), to the
    7-character zero-padded text code. -#}
{% macro hm_parse_product_code(expr) -%}
    case
        when {{ hm_regexp_full_match(expr, '[0-9]{1,7}') }}
            then lpad({{ expr }}, 7, '0')
    end
{%- endmacro %}


{#- customer_id: 64 hexadecimal characters, to lowercase. -#}
{% macro hm_parse_customer_id(expr) -%}
    case
        when {{ hm_regexp_full_match(expr, '[0-9a-fA-F]{64}') }}
            then lower({{ expr }})
    end
{%- endmacro %}


{#- A whole number of at most 9 digits, optionally written with a zero
    fraction (`9`, `09`, `-1`, `49.0`), to integer. -#}
{% macro hm_parse_integer(expr) -%}
    case
        when {{ hm_regexp_full_match(expr, '[+-]?[0-9]{1,9}([.]0*)?') }}
            then cast(cast({{ expr }} as double) as integer)
    end
{%- endmacro %}


{#- A decimal number (`0.050830508474576264`, `1.5e-05`), to double. -#}
{% macro hm_parse_double(expr) -%}
    case
        when {{ hm_regexp_full_match(
            expr,
            '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,2})?'
        ) }}
            then {{ hm_try_cast(expr, 'double') }}
    end
{%- endmacro %}


{#- An ISO date `YYYY-MM-DD` that exists in the calendar, to date. -#}
{% macro hm_parse_date(expr) -%}
    case
        when {{ hm_regexp_full_match(expr, '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
            then {{ hm_try_cast(expr, 'date') }}
    end
{%- endmacro %}


{#- FN / Active flags to boolean. The files write `1.0` when the flag is
    set and leave the field empty otherwise, so: a number equal to 1
    (`1.0`, `1`) is true; empty, or a number equal to 0, is false ("not
    set"); anything else is null (unparseable, quarantined). -#}
{% macro hm_parse_flag(expr) -%}
    case
        when {{ expr }} = '' then false
        when {{ hm_parse_double(expr) }} = 1 then true
        when {{ hm_parse_double(expr) }} = 0 then false
    end
{%- endmacro %}


{#- A category field: trimmed and matched case-insensitively to its one
    spelling in `values` (` active`, `ACTIVE ` -> `ACTIVE`; `None` ->
    `NONE`); empty to null; another value kept trimmed (a warning test
    flags it). -#}
{% macro hm_parse_category(expr, values) -%}
    case
        {%- for value in values %}
        when upper(trim({{ expr }})) = upper({{ hm_sql_string(value) }})
            then {{ hm_sql_string(value) }}
        {%- endfor %}
        else nullif(trim({{ expr }}), '')
    end
{%- endmacro %}


{#- True when the raw field `raw_<column>` is not empty but `<column>`, its
    parsed value, is null: the text is not a value of the column's type. -#}
{% macro hm_is_unparseable(column) -%}
    (raw_{{ column }} != '' and {{ column }} is null)
{%- endmacro %}


{#- A raw field as a csv field: quoted, with quotes doubled, when it holds
    a comma, a quote or a line break. -#}
{% macro hm_csv_field(expr) -%}
    case
        when {{ dbt.position("','", expr) }} > 0
            or {{ dbt.position("'\"'", expr) }} > 0
            or {{ dbt.position('chr(10)', expr) }} > 0
            or {{ dbt.position('chr(13)', expr) }} > 0
            then '"' || replace({{ expr }}, '"', '""') || '"'
        else {{ expr }}
    end
{%- endmacro %}


{#- The raw fields of a row joined back into one csv line (`raw_row`).
    Fields missing from a short row are null and left out. -#}
{% macro hm_csv_row(columns) -%}
    concat_ws(
        ','
        {%- for column in columns %},
        {{ hm_csv_field(column) | indent(8) }}
        {%- endfor %}
    )
{%- endmacro %}


{#- The raw columns of a quarantine-ready base model, each kept only where
    the row is rejected (`reason` not null) and null on clean rows. -#}
{% macro hm_raw_if_rejected(columns, reason='rejection_reason') -%}
    {%- for column in columns %}
    case when {{ reason }} is not null then {{ column }} end as {{ column }}
    {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The row's position in its csv file (1 = the first line after the
    header). Only right directly over the file's scan (the first
    projection of the source), where DuckDB keeps file order while
    preserve_insertion_order is on: the dimension base models switch it on
    in a pre-hook (hm_file_order_pre_hook). -#}
{% macro hm_file_row_number() -%}
    {{ return(adapter.dispatch('hm_file_row_number', 'hm_warehouse')()) }}
{%- endmacro %}

{% macro default__hm_file_row_number() -%}
    row_number() over ()
{%- endmacro %}

{#- Spark: monotonically_increasing_id() directly over the scan of one
    file is increasing in file order (its splits are read in offset order) -#}
{% macro spark__hm_file_row_number() -%}
    row_number() over (order by monotonically_increasing_id())
{%- endmacro %}


{#- The hooks a base model that numbers its file's rows
    (hm_file_row_number) runs around its build: file order kept for the
    model, then the profile's faster setting (preserve_insertion_order =
    false) again for the models that follow on the same connection. -#}
{% macro hm_file_order_pre_hook() -%}
    {{ return(adapter.dispatch('hm_file_order_pre_hook', 'hm_warehouse')()) }}
{%- endmacro %}

{% macro default__hm_file_order_pre_hook() -%}
    set preserve_insertion_order = true
{%- endmacro %}

{% macro hm_file_order_post_hook() -%}
    {{ return(adapter.dispatch('hm_file_order_post_hook', 'hm_warehouse')()) }}
{%- endmacro %}

{% macro default__hm_file_order_post_hook() -%}
    set preserve_insertion_order = false
{%- endmacro %}

{#- Spark numbers rows by their position in the file: nothing to switch -#}
{% macro spark__hm_file_order_pre_hook() -%}
    select 1
{%- endmacro %}

{% macro spark__hm_file_order_post_hook() -%}
    select 1
{%- endmacro %}
