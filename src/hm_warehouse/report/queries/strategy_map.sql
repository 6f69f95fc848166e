select
    strategy as label,
    eval_week as series,
    map_at_12 as value
from eval.eval_strategies
where segment_type = 'all'
order by eval_week desc, strategy asc
