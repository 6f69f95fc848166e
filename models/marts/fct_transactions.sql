with

transactions as (

    select * from {{ ref('stg_hm__transactions') }}

),

articles as (

    select
        article_id,
        product_code
    from {{ ref('stg_hm__articles') }}

),

numbered as (

    -- identical rows are units of one purchase: number them so every
    -- unit has its own key
    select
        transactions.*,
        articles.product_code,
        row_number() over (
            partition by
                transactions.customer_id,
                transactions.article_id,
                transactions.transaction_date,
                transactions.price,
                transactions.sales_channel_id
            order by transactions.customer_id
        ) as unit_number
    from transactions
    inner join articles on transactions.article_id = articles.article_id

),

final as (

    select
        ---------- ids
        {{ dbt.concat([
            'customer_id', "'-'", 'article_id', "'-'",
            dbt.cast('transaction_date', api.Column.translate_type('string')),
            "'-'", dbt.cast('price', api.Column.translate_type('string')),
            "'-'", dbt.cast('sales_channel_id', api.Column.translate_type('string')),
            "'-'", dbt.cast('unit_number', api.Column.translate_type('string'))
        ]) }} as transaction_unit_id,
        customer_id,
        article_id,
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
