with pairs as (
    select
        any_value(article_id) as article_id,
        min(transaction_date) < max(transaction_date) as is_repeated
    from marts.fct_transactions
    where week_index < 0
    group by hash(customer_id, article_id)
)

select
    coalesce(articles.product_group_name, '(missing)') as label,
    avg(pairs.is_repeated::int) as value
from pairs
inner join marts.dim_articles as articles
    on pairs.article_id = articles.article_id
group by coalesce(articles.product_group_name, '(missing)')
having count(*) >= {min_group_units}
order by value desc, label asc
