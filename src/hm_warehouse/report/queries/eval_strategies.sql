select
    strategy,
    eval_week,
    map_at_12,
    recall_at_12,
    precision_at_12,
    hit_rate_at_12,
    n_customers
from eval.eval_strategies
where segment_type = 'all'
order by eval_week desc, map_at_12 desc, strategy asc
