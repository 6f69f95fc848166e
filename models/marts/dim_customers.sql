{#- One row per customer: their attributes and their purchase history up to
    the cutoff (var cutoff_date): activity, spend, channel mix and favourite
    colour group, pattern and index with their shares. -#}
with

customers as (

    select * from {{ ref('stg_hm__customers') }}

),

transactions as (

    select * from {{ ref('fct_transactions') }}

),

articles as (

    select * from {{ ref('stg_hm__articles') }}

),

purchases as (

    select
        transactions.customer_key,
        transactions.article_key,
        transactions.sales_channel_id,
        transactions.price,
        transactions.transaction_date,
        transactions.week_index,
        articles.colour_group_name,
        articles.graphical_appearance_name,
        articles.index_name
    from transactions
    inner join articles on transactions.article_key = articles.article_key
    where transactions.transaction_date <= {{ hm_cutoff_date() }}

),

purchase_summary as (

    select
        customer_key,
        count(*) as n_transactions,
        count(distinct article_key) as n_distinct_articles,
        count(distinct week_index) as n_active_weeks,
        sum(price) as lifetime_spend,
        avg(
            case
                when {{ hm_is_online('sales_channel_id') }}
                    then cast(1 as double)
                else cast(0 as double)
            end
        ) as online_share,
        min(transaction_date) as first_purchase_date,
        max(transaction_date) as last_purchase_date
    from purchases
    group by customer_key

),

favourites as (

    {{ hm_favourites('purchases', 'customer_key', {
        'colour_group': 'colour_group_name',
        'pattern': 'graphical_appearance_name',
        'index': 'index_name',
    }) }}

),

final as (

    select
        ---------- ids
        customers.customer_key,
        customers.customer_id,

        ---------- strings
        customers.club_member_status,
        customers.fashion_news_frequency,
        customers.postal_code,
        {{ hm_age_bucket('customers.age') }} as age_bucket,
        favourites.favourite_colour_group
            as favourite_colour_group_name,
        favourites.favourite_pattern
            as favourite_graphical_appearance_name,
        favourites.favourite_index as favourite_index_name,

        ---------- numerics
        customers.age,
        coalesce(purchase_summary.n_transactions, 0) as n_transactions,
        coalesce(purchase_summary.n_distinct_articles, 0)
            as n_distinct_articles,
        coalesce(purchase_summary.n_active_weeks, 0) as n_active_weeks,
        coalesce(purchase_summary.lifetime_spend, 0) as lifetime_spend,
        purchase_summary.online_share,
        favourites.favourite_colour_group_share,
        favourites.favourite_pattern_share
            as favourite_graphical_appearance_share,
        favourites.favourite_index_share,

        ---------- booleans
        customers.is_fn_subscribed,
        customers.is_active,
        purchase_summary.customer_key is not null as has_purchases,

        ---------- dates
        purchase_summary.first_purchase_date,
        purchase_summary.last_purchase_date

    from customers
    left join purchase_summary
        on customers.customer_key = purchase_summary.customer_key
    left join favourites
        on customers.customer_key = favourites.customer_key

)

select * from final
