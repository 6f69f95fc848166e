with purchases as (
    select
        sales.customer_key,
        sales.transaction_date,
        sales.article_key,
        sales.product_code,
        articles.product_type_name
    from marts.fct_transactions as sales
    inner join marts.dim_articles as articles
        on sales.article_key = articles.article_key
    where sales.week_index < 0
),

per_item as (
    select
        1 as position,
        'article' as label,
        count(distinct transaction_date) as n_days
    from purchases
    group by customer_key, article_key
    union all
    select
        2 as position,
        'product' as label,
        count(distinct transaction_date) as n_days
    from purchases
    group by customer_key, product_code
    union all
    select
        3 as position,
        'product type' as label,
        count(distinct transaction_date) as n_days
    from purchases
    group by customer_key, product_type_name
)

select
    label,
    sum(n_days - 1) / sum(n_days) as value
from per_item
group by position, label
order by position
