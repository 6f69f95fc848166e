-- Customers per value of a dim_customers status column ({column}, filled
-- in by hm_warehouse.report.queries.query()), the largest first.
select
    coalesce({column}, 'unknown') as label,
    count(*) as value
from marts.dim_customers
group by coalesce({column}, 'unknown')
order by value desc
