{#- One row per customer: what they bought before the first target week
    (the earliest dim_weeks row with an ml_split), the input of the
    customer segments (KMeans, feat_customer_segments). Every target week
    comes after it, so a segment never sees the week it is used in. -#}
{%- set groups = hm_share_groups() %}
{%- set first = hm_first_target_week_index() %}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

history as (

    select
        transactions.customer_key,
        count(*) as n_units,
        count(distinct transactions.week_index) as n_active_weeks,
        avg(transactions.price) as mean_price,
        avg(
            case
                when transactions.sales_channel_id
                    = {{ var('online_sales_channel_id') }}
                    then cast(1 as double)
                else cast(0 as double)
            end
        ) as online_share,
        {% for attribute, value, column in groups %}
        avg(
            case
                when articles.{{ attribute }} = '{{ value }}'
                    then cast(1 as double)
                else cast(0 as double)
            end
        ) as share_{{ column }},
        {% endfor %}
        {{ first }}
        - max(transactions.week_index)
            as weeks_since_last_purchase
    from transactions
    inner join articles on transactions.article_key = articles.article_key
    where transactions.week_index
        < {{ first }}
    group by transactions.customer_key

),

final as (

    select
        ---------- ids
        customers.customer_key,
        {{ first }} as as_of_week_index,

        ---------- numerics
        customers.age,
        coalesce(history.n_units, 0) as n_units,
        coalesce(history.n_active_weeks, 0) as n_active_weeks,
        history.mean_price,
        history.online_share,
        {% for _, _, column in groups %}
        history.share_{{ column }},
        {% endfor %}
        history.weeks_since_last_purchase,

        ---------- booleans
        history.customer_key is not null as has_history

    from customers
    left join history on customers.customer_key = history.customer_key

)

select * from final
