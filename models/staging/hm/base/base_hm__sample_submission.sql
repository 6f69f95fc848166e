{{ config(
    pre_hook=[hm_file_order_pre_hook(), "{{ hm_unreadable_lines_pre_hook('sample_submission') }}"],
    post_hook=[
        "{{ hm_unreadable_lines_post_hook('hm', 'sample_submission', 'sample_submission', 'raw_customer_id', true) }}",
        hm_file_order_post_hook(),
    ],
) }}

with

source as (

    select * from {{ hm_source_relation('hm', 'sample_submission') }}

),

customers as (

    select * from {{ ref('base_hm__customers') }}

),

renamed as (

    select
        -- provenance
        {{ hm_file_row_number() }} as source_row,
        {{ hm_source_file_name('hm', 'sample_submission') }} as source_file,
        {{ hm_csv_row(
            ['customer_id', 'prediction'] + hm_spare_fields()
        ) | indent(8) }} as raw_row,
        hm_spare_1 is not null as has_extra_fields,
        -- true on the lines DuckDB set aside (hm_unreadable_lines_post_hook)
        false as is_set_aside,

        -- raw text fields, as read
        customer_id as raw_customer_id,
        prediction as raw_prediction

    from source

),

parsed as (

    select
        *,

        ---------- ids
        {{ hm_parse_customer_id('raw_customer_id') }} as customer_id,

        ---------- strings
        nullif(raw_prediction, '') as prediction

    from renamed

),

clean_customers as (

    select customer_id from customers
    where rejection_reason is null

),

row_checks as (

    select
        parsed.*,
        case
            when parsed.has_extra_fields
                then {{ hm_reason('sample_submission', 'too many fields') }}
            when parsed.raw_prediction is null
                then {{ hm_reason('sample_submission', 'too few fields') }}
            when parsed.customer_id is null
                then {{
                    hm_reason('sample_submission', 'malformed customer_id')
                }}
            when clean_customers.customer_id is null
                then {{
                    hm_reason('sample_submission', 'unknown customer_id')
                }}
        end as row_rejection_reason

    from parsed
    left join clean_customers
        on parsed.customer_id = clean_customers.customer_id

),

-- one row per customer_id among the rows that pass the row checks: the first in
-- the file is kept, the others are quarantined as (conflicting) duplicates
final as (

    {{ hm_reject_duplicate_keys(
        'row_checks', 'sample_submission', 'customer_id', [
            'customer_id',
            'prediction',
        ],
    ) }}

)

select * from final
