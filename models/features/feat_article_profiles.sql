{#- One row per article: its attributes and how it sold before the first
    target week, the input of the article segments (KMeans,
    feat_article_segments). -#}
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

    select
        customer_key,
        age
    from {{ ref('dim_customers') }}

),

sales as (

    select
        transactions.article_key,
        count(*) as n_units,
        cast(
            sum(
                case
                    when transactions.week_index
                        >= {{ first }} - 4
                        then 1
                    else 0
                end
            )
            as bigint
        ) as n_units_4w,
        avg(transactions.price) as mean_price,
        avg(
            case
                when transactions.sales_channel_id
                    = {{ var('online_sales_channel_id') }}
                    then cast(1 as double)
                else cast(0 as double)
            end
        ) as online_share,
        avg(customers.age) as mean_buyer_age,
        {{ first }}
        - min(transactions.week_index)
            as weeks_since_launch
    from transactions
    left join customers on transactions.customer_key = customers.customer_key
    where transactions.week_index
        < {{ first }}
    group by transactions.article_key

),

final as (

    select
        ---------- ids
        articles.article_key,
        {{ first }} as as_of_week_index,

        ---------- numerics
        {% for attribute, value, column in groups %}
        case
            when articles.{{ attribute }} = '{{ value }}'
                then cast(1 as double)
            else cast(0 as double)
        end as is_{{ column }},
        {% endfor %}
        coalesce(sales.n_units, 0) as n_units,
        coalesce(sales.n_units_4w, 0) as n_units_4w,
        sales.mean_price,
        sales.online_share,
        sales.mean_buyer_age,
        sales.weeks_since_launch,

        ---------- booleans
        sales.article_key is not null as has_sales

    from articles
    left join sales on articles.article_key = sales.article_key

)

select * from final
