with

base_customers as (

    select * from {{ ref('base_hm__customers') }}

),

rejected as (

    select * from base_customers
    where rejection_reason is not null

),

final as (

    select
        ---------- quarantine
        rejection_reason,
        source_file,
        source_row,
        raw_row,

        ---------- raw text fields, as read
        raw_customer_id,
        raw_fn,
        raw_active,
        raw_club_member_status,
        raw_fashion_news_frequency,
        raw_age,
        raw_postal_code

    from rejected

)

select * from final
