select
    case metric when 'n_customers_with_purchases' then 'with purchases'
        else 'without purchases'
    end as label,
    metric_value as value
from marts.fct_data_description
where metric in (
        'n_customers_with_purchases',
        'n_customers_without_purchases'
    )
order by metric_order
