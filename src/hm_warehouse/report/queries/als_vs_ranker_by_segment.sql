select
    segment as label,
    strategy as series,
    map_at_12 as value
from eval.eval_strategies
where eval_week = 'valid' and segment_type in ('history', 'activity')
    and strategy in ('als', 'ranker')
order by case segment when 'with_history' then 0 when 'no_history' then 1
    when 'heavy_12w' then 2 when 'light_12w' then 3
    when 'inactive_12w' then 4 else 5
end, segment_type, strategy
