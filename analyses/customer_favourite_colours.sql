{#- One customer's colour groups, most bought first: units, distinct
    articles, share of the customer's units and last purchase, up to the
    cutoff. The customer: var analysis_customer_id, by default the most
    active customer (most transaction rows, ties broken by customer_id).
    `is_favourite` marks dim_customers.favourite_colour_group_name. -#}
{%- set customer_id = var('analysis_customer_id', none) %}
with

customers as (

    select * from {{ ref('dim_customers') }}

),

transactions as (

    select * from {{ ref('fct_transactions') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

chosen_customer as (

    {%- if customer_id %}

    select
        customer_key,
        customer_id,
        favourite_colour_group_name
    from customers
    where customer_id = lower('{{ customer_id }}')

    {%- else %}

    -- the most active customer
    select
        customer_key,
        customer_id,
        favourite_colour_group_name
    from customers
    order by n_transactions desc, customer_id asc
    limit 1

    {%- endif %}

),

purchases as (

    select
        transactions.customer_key,
        transactions.article_key,
        transactions.transaction_date,
        coalesce(articles.colour_group_name, 'unknown') as colour_group_name
    from transactions
    inner join chosen_customer
        on transactions.customer_key = chosen_customer.customer_key
    inner join articles on transactions.article_key = articles.article_key
    where transactions.transaction_date <= {{ hm_cutoff_date() }}

),

by_colour as (

    select
        customer_key,
        colour_group_name,
        count(*) as n_units,
        count(distinct article_key) as n_distinct_articles,
        max(transaction_date) as last_purchase_date
    from purchases
    group by customer_key, colour_group_name

),

final as (

    select
        ---------- ids
        chosen_customer.customer_id,
        row_number() over (
            order by by_colour.n_units desc, by_colour.colour_group_name asc
        ) as colour_rank,

        ---------- strings
        by_colour.colour_group_name,

        ---------- numerics
        by_colour.n_units,
        by_colour.n_distinct_articles,
        by_colour.n_units * 1.0
        / sum(by_colour.n_units) over () as unit_share,

        ---------- booleans
        coalesce(
            by_colour.colour_group_name
            = chosen_customer.favourite_colour_group_name,
            false
        ) as is_favourite,

        ---------- dates
        by_colour.last_purchase_date

    from by_colour
    inner join chosen_customer
        on by_colour.customer_key = chosen_customer.customer_key

)

select * from final
order by colour_rank asc
