select
    'FN (Fashion News)' as label,
    avg(is_fn_subscribed::int) as value
from marts.dim_customers
union all
select
    'Active' as label,
    avg(is_active::int) as value
from marts.dim_customers
