select
    week_start_date as x,
    'online share' as series,
    sum(n_online_units) / sum(n_units) as value
from marts.fct_customer_weeks
where week_index < 0
group by week_start_date
order by week_start_date
