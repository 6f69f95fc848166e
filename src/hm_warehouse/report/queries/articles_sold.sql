select
    'sold at least once' as label,
    sold.metric_value as value
from marts.fct_data_description as sold
where sold.metric = 'n_articles_sold'
union all
select
    'never sold' as label,
    total.metric_value - sold.metric_value as value
from marts.fct_data_description as total, marts.fct_data_description as sold
where total.metric = 'n_articles' and sold.metric = 'n_articles_sold'
