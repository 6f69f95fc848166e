select
    metric,
    display_value as value,
    description
from marts.fct_data_description
order by metric_order
