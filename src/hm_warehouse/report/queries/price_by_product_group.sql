with prices as (
    select
        coalesce(articles.product_group_name, '(missing)') as label,
        count(*) as n,
        quantile_cont(
            sales.price,
            [0.05, 0.25, 0.5, 0.75, 0.95]
        ) as q,
        avg(sales.price) as mean
    from marts.fct_transactions as sales
    inner join marts.dim_articles as articles
        on sales.article_key = articles.article_key
    where sales.week_index < 0
    group by coalesce(articles.product_group_name, '(missing)')
    having count(*) >= {min_group_units}
)

select
    label,
    n,
    q[1] as p05,
    q[2] as p25,
    q[3] as p50,
    q[4] as p75,
    q[5] as p95,
    mean
from prices
order by p50 desc, label asc
