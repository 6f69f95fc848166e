{#- One row per article and week (Wednesday -> Tuesday) with at least one
    sale: units, distinct buyers, revenue, mean price and online share. -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

article_weeks as (

    select
        article_key,
        week_start_date,
        week_index,
        count(*) as n_units,
        count(distinct customer_key) as n_distinct_buyers,
        sum(price) as revenue,
        avg(price) as mean_price,
        avg(
            case
                when {{ hm_is_online('sales_channel_id') }}
                    then cast(1 as double)
                else cast(0 as double)
            end
        ) as online_share
    from transactions
    group by article_key, week_start_date, week_index

),

final as (

    select
        ---------- ids
        article_key,
        week_index,

        ---------- numerics
        n_units,
        n_distinct_buyers,
        revenue,
        mean_price,
        online_share,

        ---------- dates
        week_start_date

    from article_weeks

)

select * from final
