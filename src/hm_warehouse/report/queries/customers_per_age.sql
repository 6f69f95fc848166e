select
    age as value,
    count(*) as n
from marts.dim_customers
where age is not null
group by age
order by age
