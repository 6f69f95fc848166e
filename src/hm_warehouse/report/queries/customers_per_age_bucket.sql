select
    age_bucket as label,
    count(*) as value
from marts.dim_customers
group by age_bucket
order by case age_bucket when 'under_20' then 0 when 'unknown' then 9
    else 1
end, age_bucket
