-- Null share of every column of {table} (filled in by
-- hm_warehouse.report.queries.query()): one scan, count(col) per column.
with counts as (
    select
        count(*) as __n_rows,
        count(columns(*))
    from {table}
),

per_column as (
    unpivot counts on columns(* exclude (__n_rows))
    into name label value n_non_null
)

select
    label,
    1 - n_non_null / __n_rows as value
from per_column
