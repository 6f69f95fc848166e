{#- One row per unit bought: the clean transactions keyed by the integer
    customer_key and article_key (the dimensions carry the readable ids),
    with the article's product code and the calendar keys. -#}
with

transactions as (

    select * from {{ ref('stg_hm__transactions') }}

),

customers as (

    select
        customer_id,
        customer_key
    from {{ ref('stg_hm__customers') }}

),

articles as (

    select
        article_id,
        article_key,
        product_code
    from {{ ref('stg_hm__articles') }}

),

keyed as (

    -- the only join on the text ids: everything downstream joins, sorts and
    -- aggregates on the integer keys
    select
        customers.customer_key,
        articles.article_key,
        articles.product_code,
        transactions.sales_channel_id,
        transactions.price,
        transactions.transaction_date
    from transactions
    inner join customers
        on transactions.customer_id = customers.customer_id
    inner join articles on transactions.article_id = articles.article_id

),

numbered as (

    -- identical rows are units of one purchase: number them so every
    -- unit has its own key
    select
        *,
        cast(row_number() over (
            partition by
                customer_key,
                article_key,
                transaction_date,
                price,
                sales_channel_id
            order by customer_key
        ) as bigint) as unit_number
    from keyed

),

final as (

    select
        ---------- ids
        customer_key,
        article_key,
        product_code,
        sales_channel_id,

        ---------- numerics
        price,
        unit_number,

        ---------- dates
        transaction_date,
        {{ hm_week_start('transaction_date') }} as week_start_date,

        ---------- numerics (calendar)
        {{ hm_week_index('transaction_date') }} as week_index,
        {{ hm_day_index('transaction_date') }} as day_index

    from numbered

)

select * from final
