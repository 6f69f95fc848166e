{#- Customer x article history as of each target week: the pairs the
    customer bought in the lookback window before the week (sparse: only
    pairs with a purchase), with the same figures at product_code grain.
    Only the customers scored that week (spine_customer_weeks: the week's
    buyers for training and validation weeks, everyone for the prediction
    week): with the whole history as lookback (issue 17) the other
    customers' rows were 5 of the 6 as-of weeks' work. -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

customer_weeks as (

    select
        customer_key,
        week_index
    from {{ ref('spine_customer_weeks') }}

),

history as (

    select
        customer_weeks.week_index as as_of_week_index,
        transactions.customer_key,
        transactions.article_key,
        transactions.product_code,
        transactions.week_index
    from transactions
    inner join customer_weeks
        on transactions.customer_key = customer_weeks.customer_key
        and transactions.week_index < customer_weeks.week_index
        and transactions.week_index >= customer_weeks.week_index
        - {{ var('repurchase_lookback_weeks') }}

),

by_article as (

    select
        as_of_week_index,
        customer_key,
        article_key,
        min(product_code) as product_code,
        count(*) as article_units,
        count(distinct week_index) as article_weeks,
        max(week_index) as article_last_week_index,
        sum(
            exp(
                (week_index - as_of_week_index + 1)
                / {{ var('repurchase_decay_weeks') }}
            )
        ) as article_units_decayed
    from history
    group by as_of_week_index, customer_key, article_key

),

by_product as (

    select
        as_of_week_index,
        customer_key,
        product_code,
        count(*) as product_units,
        count(distinct article_key) as product_articles,
        max(week_index) as product_last_week_index
    from history
    group by as_of_week_index, customer_key, product_code

),

final as (

    select
        ---------- ids
        by_article.customer_key,
        by_article.article_key,
        by_article.product_code,
        by_article.as_of_week_index,

        ---------- numerics
        by_article.article_units,
        by_article.article_weeks,
        by_article.article_units_decayed,
        by_article.as_of_week_index - by_article.article_last_week_index
            as weeks_since_article_purchase,
        by_product.product_units,
        by_product.product_articles,
        by_article.as_of_week_index - by_product.product_last_week_index
            as weeks_since_product_purchase

    from by_article
    inner join by_product
        on by_article.customer_key = by_product.customer_key
        and by_article.product_code = by_product.product_code
        and by_article.as_of_week_index = by_product.as_of_week_index

)

select * from final
