-- Articles per value of a dim_articles column: the {top} largest, then one
-- row for the rest. A format template: {column} and {top} are filled in by
-- hm_warehouse.report.queries.query().
with counts as (
    select
        coalesce({column}, '(missing)') as label,
        count(*) as value
    from marts.dim_articles
    group by coalesce({column}, '(missing)')
),

ranked as (
    select
        label,
        value,
        row_number() over (order by value desc, label asc) as position
    from counts
)

select
    label,
    value,
    position
from ranked
where position <= {top}
union all
select
    'other (' || count(*) || ' values)' as label,
    sum(value) as value,
    {top} + 1 as position
from ranked
where position > {top}
having count(*) > 0
order by position
