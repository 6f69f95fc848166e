select
    case sales_channel_id when 1 then 'store (1)'
        when 2 then 'online (2)'
        else 'channel ' || sales_channel_id
    end as label,
    count(*) as value
from marts.fct_transactions
where week_index < 0
group by sales_channel_id
order by sales_channel_id
