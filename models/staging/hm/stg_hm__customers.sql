with

base_customers as (

    select * from {{ ref('base_hm__customers') }}

),

clean as (

    select * from base_customers
    where rejection_reason is null

),

final as (

    select
        ---------- ids
        -- the surrogate key every join downstream uses: 32-bit, dense, in
        -- customer_id order (so sorting by it sorts by the id)
        cast(
            row_number() over (order by customer_id) as integer
        ) as customer_key,
        customer_id,

        ---------- strings
        club_member_status,
        fashion_news_frequency,
        postal_code,

        ---------- numerics
        age,

        ---------- booleans
        is_fn_subscribed,
        is_active

    from clean

)

select * from final
