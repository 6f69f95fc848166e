{#- Weekly sales (Wednesday -> Tuesday weeks) over every week of data up to
    the cutoff: units, revenue, buyers and online share, the change on the
    week before, a 4-week moving average of units and the same week one
    year earlier. Weeks without a sale show zeros. -#}
with

weeks as (

    select * from {{ ref('dim_weeks') }}

),

customer_weeks as (

    select * from {{ ref('fct_customer_weeks') }}

),

weekly as (

    select
        week_index,
        sum(n_units) as n_units,
        sum(n_online_units) as n_online_units,
        sum(spend) as revenue,
        count(*) as n_buyers
    from customer_weeks
    group by week_index

),

spine as (

    -- every week of data before the prediction week, sales or not
    select
        weeks.week_index,
        weeks.week_start_date,
        weeks.week_end_date,
        coalesce(weekly.n_units, 0) as n_units,
        coalesce(weekly.n_online_units, 0) as n_online_units,
        coalesce(weekly.revenue, 0) as revenue,
        coalesce(weekly.n_buyers, 0) as n_buyers
    from weeks
    left join weekly on weeks.week_index = weekly.week_index
    where weeks.week_index < 0

),

final as (

    select
        ---------- ids
        week_index,

        ---------- numerics
        n_units,
        revenue,
        n_buyers,
        n_online_units * 1.0 / nullif(n_units, 0) as online_share,
        n_units * 1.0 / nullif(
            lag(n_units) over (order by week_index), 0
        ) - 1 as units_change_vs_previous_week,
        avg(n_units) over (
            order by week_index rows between 3 preceding and current row
        ) as units_4w_moving_avg,
        lag(n_units, 52) over (
            order by week_index
        ) as units_same_week_last_year,

        ---------- dates
        week_start_date,
        week_end_date

    from spine

)

select * from final
order by week_index asc
