select
    week_start_date as x,
    'units sold' as series,
    sum(n_units) as value
from marts.fct_customer_weeks
where week_index < 0
group by week_start_date
union all
select
    week_start_date as x,
    'buyers' as series,
    count(*) as value
from marts.fct_customer_weeks
where week_index < 0
group by week_start_date
union all
select
    week_start_date as x,
    'distinct articles sold' as series,
    count(*) as value
from marts.fct_article_weeks
where week_index < 0
group by week_start_date
order by series desc, x asc
