{#- Customer features as of the start of each target week (dim_weeks rows
    with an ml_split), from transactions strictly before that week, for the
    customers scored that week: the week's buyers for training and
    validation weeks (only they have labels), every customer for the
    prediction week. -#}
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

customer_weeks as (

    select
        customer_id,
        week_index
    from {{ ref('fct_customer_weeks') }}

),

as_of_weeks as (

    select
        week_index,
        week_start_date,
        ml_split
    from {{ ref('dim_weeks') }}
    where ml_split is not null

),

population as (

    -- the scored customers of each week, with their attributes
    select
        customers.customer_id,
        customers.age,
        customers.age_bucket,
        customers.club_member_status,
        customers.fashion_news_frequency,
        customers.is_fn_subscribed,
        customers.is_active,
        as_of_weeks.week_index as as_of_week_index,
        as_of_weeks.week_start_date as as_of_week_start_date
    from customers
    cross join as_of_weeks
    left join customer_weeks
        on customers.customer_id = customer_weeks.customer_id
        and as_of_weeks.week_index = customer_weeks.week_index
    where
        as_of_weeks.ml_split = 'predict'
        or customer_weeks.customer_id is not null

),

-- not materialized: read by activity and by each favourites branch, it is
-- every earlier purchase of every scored customer (the whole table for the
-- prediction week); stored once it spills tens of GB at full scale, streamed
-- into each aggregate it does not
history as not materialized (

    select
        population.as_of_week_index,
        transactions.customer_id,
        transactions.article_id,
        transactions.price,
        transactions.sales_channel_id,
        transactions.transaction_date,
        transactions.week_index,
        articles.index_group_name,
        articles.product_group_name,
        articles.colour_group_name,
        articles.graphical_appearance_name,
        articles.product_type_name,
        articles.department_name
    from transactions
    inner join population
        on transactions.customer_id = population.customer_id
        and transactions.week_index < population.as_of_week_index
    inner join articles on transactions.article_id = articles.article_id

),

activity as (

    select
        as_of_week_index,
        customer_id,
        max(transaction_date) as last_purchase_date,
        count(*) as n_units,
        -- bigint, not the HUGEINT of sum(): see feat_article_weekly
        {% for k in [1, 4, 12] %}
        cast(
            sum(
                case
                    when week_index >= as_of_week_index - {{ k }} then 1 else 0
                end
            )
            as bigint
        ) as n_units_{{ k }}w,
        {% endfor %}
        count(distinct week_index) as n_active_weeks,
        count(distinct article_id) as n_distinct_articles,
        sum(price) as spend,
        sum(case when week_index >= as_of_week_index - 4 then price else 0 end)
            as spend_4w,
        avg(price) as mean_price,
        avg(case when sales_channel_id = 2 then 1.0 else 0.0 end)
            as online_share,
        {% for group in [
            'Ladieswear', 'Divided', 'Menswear', 'Sport', 'Baby/Children'
        ] %}
        avg(case when index_group_name = '{{ group }}' then 1.0 else 0.0 end)
            as share_{{ group | lower | replace('/', '_') }},
        {% endfor %}
        {% for group in [
            'Garment Upper body', 'Garment Lower body', 'Garment Full body',
            'Underwear', 'Swimwear', 'Accessories', 'Shoes'
        ] %}
        avg(case when product_group_name = '{{ group }}' then 1.0 else 0.0 end)
            as share_{{ group | lower | replace(' ', '_') }},
        {% endfor %}
        count(*) as n_history_rows
    from history
    group by as_of_week_index, customer_id

),

favourites as (

    {{ hm_favourites('history', 'as_of_week_index, customer_id', {
        'colour_group': 'colour_group_name',
        'pattern': 'graphical_appearance_name',
        'product_type': 'product_type_name',
        'department': 'department_name',
    }, top_n=3) }}

),

final as (

    select
        ---------- ids
        population.customer_id,
        population.as_of_week_index,

        ---------- strings
        population.age_bucket,
        population.club_member_status,
        population.fashion_news_frequency,
        favourites.favourite_colour_group,
        favourites.favourite_pattern,
        favourites.favourite_product_type,
        favourites.favourite_department,

        ---------- numerics
        population.age,
        {{ dbt.datediff('activity.last_purchase_date',
                        'population.as_of_week_start_date', 'day') }}
            as days_since_last_purchase,
        coalesce(activity.n_units, 0) as n_units,
        coalesce(activity.n_units_1w, 0) as n_units_1w,
        coalesce(activity.n_units_4w, 0) as n_units_4w,
        coalesce(activity.n_units_12w, 0) as n_units_12w,
        coalesce(activity.n_active_weeks, 0) as n_active_weeks,
        coalesce(activity.n_distinct_articles, 0) as n_distinct_articles,
        coalesce(activity.spend, 0) as spend,
        coalesce(activity.spend_4w, 0) as spend_4w,
        activity.mean_price,
        activity.online_share,
        activity.share_ladieswear,
        activity.share_divided,
        activity.share_menswear,
        activity.share_sport,
        activity.share_baby_children,
        activity.share_garment_upper_body,
        activity.share_garment_lower_body,
        activity.share_garment_full_body,
        activity.share_underwear,
        activity.share_swimwear,
        activity.share_accessories,
        activity.share_shoes,
        favourites.favourite_colour_group_share,
        favourites.favourite_pattern_share,
        favourites.favourite_product_type_share,
        favourites.favourite_department_share,

        ---------- runners-up (2nd and 3rd most bought)
        favourites.favourite_colour_group_2,
        favourites.favourite_colour_group_2_share,
        favourites.favourite_colour_group_3,
        favourites.favourite_colour_group_3_share,
        favourites.favourite_pattern_2,
        favourites.favourite_pattern_2_share,
        favourites.favourite_pattern_3,
        favourites.favourite_pattern_3_share,
        favourites.favourite_product_type_2,
        favourites.favourite_product_type_2_share,
        favourites.favourite_product_type_3,
        favourites.favourite_product_type_3_share,
        favourites.favourite_department_2,
        favourites.favourite_department_2_share,
        favourites.favourite_department_3,
        favourites.favourite_department_3_share,

        ---------- booleans
        population.is_fn_subscribed,
        population.is_active,
        activity.customer_id is not null as has_history,

        ---------- dates
        population.as_of_week_start_date

    from population
    left join activity
        on population.customer_id = activity.customer_id
        and population.as_of_week_index = activity.as_of_week_index
    left join favourites
        on population.customer_id = favourites.customer_id
        and population.as_of_week_index = favourites.as_of_week_index

)

select * from final
