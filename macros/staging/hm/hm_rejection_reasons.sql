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
    raw_row, <key> and row_rejection_reason (the row checks). Among the rows
    with the same key and the same row verdict, the smallest raw_row is kept
    and the others are rejected as `duplicate <key>` (a reason of `entity`),
    so a duplicate of a clean row is quarantined, never silently dropped.
    Adds <key>_rank and rejection_reason (the row reason first). -#}
{% macro hm_reject_duplicate_keys(relation, entity, key) -%}
    select
        *,
        case
            when row_rejection_reason is not null then row_rejection_reason
            when {{ key }}_rank > 1
                then {{ hm_reason(entity, 'duplicate ' ~ key) }}
        end as rejection_reason
    from (
        select
            *,
            row_number() over (
                partition by {{ key }}, row_rejection_reason
                order by raw_row
            ) as {{ key }}_rank
        from {{ relation }}
    ) as key_checks
{%- endmacro %}
