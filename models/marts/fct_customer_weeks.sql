{#- One row per customer and week (Wednesday -> Tuesday) with at least one
    purchase: units, distinct articles, spend and online units. -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

customer_weeks as (

    select
        customer_key,
        week_start_date,
        week_index,
        count(*) as n_units,
        count(distinct article_key) as n_distinct_articles,
        count(
            case when {{ hm_is_online('sales_channel_id') }} then 1 end
        ) as n_online_units,
        sum(price) as spend
    from transactions
    group by customer_key, week_start_date, week_index

),

final as (

    select
        ---------- ids
        customer_key,
        week_index,

        ---------- numerics
        n_units,
        n_distinct_articles,
        n_online_units,
        spend,

        ---------- dates
        week_start_date

    from customer_weeks

)

select * from final
