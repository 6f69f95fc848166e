select
    n_transactions as value,
    count(*) as n
from marts.dim_customers
where n_transactions > 0
group by n_transactions
order by n_transactions
