{#-
    The quarantine vocabulary: for each H&M file, the reasons a row can be
    rejected, in the order they are checked (the first applicable reason
    wins). Written once here; documented in the `hm_rejection_reasons` doc
    block of _hm__docs.md; the base models write reasons only through
    hm_reason(), which fails compilation on a reason not in this list; and
    a singular test checks every rejected row carries a listed reason.
-#}
{% macro hm_rejection_reasons() -%}
    {%- set integer_codes = [
        'product_type_no', 'graphical_appearance_no', 'colour_group_code',
        'perceived_colour_value_id', 'perceived_colour_master_id',
        'department_no', 'index_group_no', 'section_no', 'garment_group_no',
    ] -%}
    {%- set article_reasons = [
        'too many fields',
        'too few fields',
        'malformed article_id',
        'malformed product_code',
    ] -%}
    {%- for code in integer_codes -%}
        {%- do article_reasons.append('unparseable ' ~ code) -%}
    {%- endfor -%}
    {%- do article_reasons.append('duplicate article_id') -%}
    {%- do article_reasons.append('conflicting duplicate article_id') -%}
    {{- return({
        'articles': article_reasons,
        'customers': [
            'too many fields',
            'too few fields',
            'malformed customer_id',
            'unparseable FN',
            'unparseable Active',
            'unparseable age',
            'implausible age',
            'duplicate customer_id',
            'conflicting duplicate customer_id',
        ],
        'transactions': [
            'too many fields',
            'too few fields',
            'malformed customer_id',
            'malformed article_id',
            'unparseable t_dat',
            't_dat outside data range',
            'unparseable price',
            'non-positive price',
            'unknown sales_channel_id',
            'unknown customer_id',
            'unknown article_id',
        ],
        'sample_submission': [
            'too many fields',
            'too few fields',
            'malformed customer_id',
            'unknown customer_id',
            'duplicate customer_id',
            'conflicting duplicate customer_id',
        ],
    }) -}}
{%- endmacro %}


{#- `reason` as a sql string literal, after checking it is in the
    vocabulary of `entity`. -#}
{% macro hm_reason(entity, reason) -%}
    {%- if reason not in hm_rejection_reasons()[entity] -%}
        {{- exceptions.raise_compiler_error(
            "'" ~ reason ~ "' is not a rejection reason of " ~ entity
            ~ " (see macro hm_rejection_reasons)"
        ) -}}
    {%- endif -%}
    '{{ reason }}'
{%- endmacro %}


{#- The reasons of `entity` as a comma-separated list of sql string
    literals, one per line (for `rejection_reason in (...)`). -#}
{% macro hm_rejection_reason_literals(entity, indent=12) -%}
    {%- for reason in hm_rejection_reasons()[entity] -%}
        {{ '\n' ~ ' ' * indent }}'{{ reason }}'{{ ',' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- The last step of a base model of a dimension file: `relation` has
    source_row, <key>, the typed columns `compared` and row_rejection_reason
    (the row checks). Among the rows with the same key and the same row
    verdict, the first in the file (smallest source_row) is kept; a later
    row with the same typed values is rejected as `duplicate <key>`, one
    with other values as `conflicting duplicate <key>` (reasons of
    `entity`). A duplicate of a clean row is quarantined, never silently
    dropped. Adds <key>_rank and rejection_reason (the row reason first). -#}
{% macro hm_reject_duplicate_keys(relation, entity, key, compared) -%}
    select
        *,
        case
            when row_rejection_reason is not null then row_rejection_reason
            when {{ key }}_rank > 1 and row_fingerprint = first_fingerprint
                then {{ hm_reason(entity, 'duplicate ' ~ key) }}
            when {{ key }}_rank > 1
                then {{ hm_reason(entity, 'conflicting duplicate ' ~ key) }}
        end as rejection_reason
    from (
        select
            *,
            row_number() over key_rows as {{ key }}_rank,
            first_value(row_fingerprint) over key_rows as first_fingerprint
        from (
            select
                *,
                {{ hm_row_fingerprint(compared) | indent(16) }}
                    as row_fingerprint
            from {{ relation }}
        ) as fingerprinted
        window key_rows as (
            partition by {{ key }}, row_rejection_reason
            order by source_row
        )
    ) as key_checks
{%- endmacro %}


{#- A hash of the values of `columns`: each value as text prefixed by its
    length (`3:abc`; a null as `n`), so no two different rows of values
    give the same text. Rows with the same fingerprint hold the same typed
    values. -#}
{% macro hm_row_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set text = "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")" -%}
        {%- do parts.append(
            "coalesce(cast(length(" ~ text ~ ") as " ~ dbt.type_string()
            ~ ") || ':' || " ~ text ~ ", 'n')"
        ) -%}
    {%- endfor -%}
    md5({{ parts | join(" || ") }})
{%- endmacro %}
