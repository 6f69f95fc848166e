{{ config(
    pre_hook=[hm_file_order_pre_hook(), "{{ hm_unreadable_lines_pre_hook('customers') }}"],
    post_hook=[
        "{{ hm_unreadable_lines_post_hook('hm', 'customers', 'customers', 'raw_customer_id', true) }}",
        hm_file_order_post_hook(),
    ],
) }}

with

source as (

    select * from {{ hm_source_relation('hm', 'customers') }}

),

renamed as (

    select
        -- provenance
        {{ hm_file_row_number() }} as source_row,
        {{ hm_source_file_name('hm', 'customers') }} as source_file,
        {{ hm_csv_row([
            'customer_id', 'fn', 'active', 'club_member_status',
            'fashion_news_frequency', 'age', 'postal_code',
        ] + hm_spare_fields()) | indent(8) }} as raw_row,
        hm_spare_1 is not null as has_extra_fields,
        -- true on the lines DuckDB set aside (hm_unreadable_lines_post_hook)
        false as is_set_aside,

        -- raw text fields, as read
        customer_id as raw_customer_id,
        fn as raw_fn,
        active as raw_active,
        club_member_status as raw_club_member_status,
        fashion_news_frequency as raw_fashion_news_frequency,
        age as raw_age,
        postal_code as raw_postal_code

    from source

),

parsed as (

    select
        *,

        ---------- ids
        {{ hm_parse_customer_id('raw_customer_id') }} as customer_id,

        ---------- strings
        {{ hm_parse_category(
            'raw_club_member_status', var('club_member_statuses')
        ) }} as club_member_status,
        {{ hm_parse_category(
            'raw_fashion_news_frequency', var('fashion_news_frequencies')
        ) }} as fashion_news_frequency,
        nullif(raw_postal_code, '') as postal_code,

        ---------- numerics
        {{ hm_parse_integer('raw_age') }} as age,

        ---------- booleans (empty means not set: false)
        {{ hm_parse_flag('raw_fn') }} as is_fn_subscribed,
        {{ hm_parse_flag('raw_active') }} as is_active

    from renamed

),

row_checks as (

    select
        *,
        case
            when has_extra_fields
                then {{ hm_reason('customers', 'too many fields') }}
            when raw_postal_code is null
                then {{ hm_reason('customers', 'too few fields') }}
            when customer_id is null
                then {{ hm_reason('customers', 'malformed customer_id') }}
            when is_fn_subscribed is null
                then {{ hm_reason('customers', 'unparseable FN') }}
            when is_active is null
                then {{ hm_reason('customers', 'unparseable Active') }}
            when {{ hm_is_unparseable('age') }}
                then {{ hm_reason('customers', 'unparseable age') }}
            when
                age not between {{ var('customer_age_range')[0] }}
                and {{ var('customer_age_range')[1] }}
                then {{ hm_reason('customers', 'implausible age') }}
        end as row_rejection_reason

    from parsed

),

-- one row per customer_id among the rows that pass the row checks: the first in
-- the file is kept, the others are quarantined as (conflicting) duplicates
final as (

    {{ hm_reject_duplicate_keys(
        'row_checks', 'customers', 'customer_id', [
            'customer_id',
            'club_member_status',
            'fashion_news_frequency',
            'postal_code',
            'age',
            'is_fn_subscribed',
            'is_active',
        ],
    ) }}

)

select * from final
