with

base_transactions as (

    select * from {{ ref('base_hm__transactions') }}

),

rejected as (

    select * from base_transactions
    where rejection_reason is not null

),

final as (

    select
        ---------- quarantine
        rejection_reason,
        source_file,
        raw_row,

        ---------- raw text fields, as read
        raw_t_dat,
        raw_customer_id,
        raw_article_id,
        raw_price,
        raw_sales_channel_id

    from rejected

)

select * from final
