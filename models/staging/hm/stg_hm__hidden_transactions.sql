{#- The hidden next week's transactions when the data directory has them
    (generated data), else no rows. Rows are typed and kept; `is_valid`
    marks the ones evaluation can trust. -#}
with

source as (

    {{ hm_optional_hidden_source('transactions_test_week') }}

),

parsed as (

    select
        ---------- ids
        {{ hm_parse_customer_id('customer_id') }} as customer_id,
        {{ hm_parse_article_id('article_id') }} as article_id,
        {{ hm_parse_integer('sales_channel_id') }} as sales_channel_id,

        ---------- numerics
        {{ hm_parse_double('price') }} as price,

        ---------- dates
        {{ hm_parse_date('t_dat') }} as transaction_date

    from source

),

final as (

    select
        *,
        customer_id is not null
        and article_id is not null
        and transaction_date is not null as is_valid
    from parsed

)

select * from final
