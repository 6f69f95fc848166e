with pairs as (
    select
        article_key,
        min(transaction_date) < max(transaction_date) as is_repeated
    from marts.fct_transactions
    where week_index < 0
    group by customer_key, article_key
)

select
    coalesce(articles.product_group_name, '(missing)') as label,
    avg(pairs.is_repeated::int) as value
from pairs
inner join marts.dim_articles as articles
    on pairs.article_key = articles.article_key
group by coalesce(articles.product_group_name, '(missing)')
having count(*) >= {min_group_units}
order by value desc, label asc
