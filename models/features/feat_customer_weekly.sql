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

    select customer_id, week_index from {{ ref('fct_customer_weeks') }}

),

as_of_weeks as (

    select week_index, week_start_date, ml_split
    from {{ ref('dim_weeks') }}
    where ml_split is not null

),

population as (

    select
        customer_weeks.customer_id,
        as_of_weeks.week_index as as_of_week_index,
        as_of_weeks.week_start_date as as_of_week_start_date
    from customer_weeks
    inner join as_of_weeks
        on customer_weeks.week_index = as_of_weeks.week_index
    where as_of_weeks.ml_split != 'predict'

    union all

    select
        customers.customer_id,
        as_of_weeks.week_index,
        as_of_weeks.week_start_date
    from customers
    cross join as_of_weeks
    where as_of_weeks.ml_split = 'predict'

),

history as (

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
        sum(case when week_index >= as_of_week_index - 1 then 1 else 0 end)
            as n_units_1w,
        sum(case when week_index >= as_of_week_index - 4 then 1 else 0 end)
            as n_units_4w,
        sum(case when week_index >= as_of_week_index - 12 then 1 else 0 end)
            as n_units_12w,
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
            as share_{{ group | lower | replace(' ', '_') }}{{ ',' if not loop.last }}
        {% endfor %}
    from history
    group by as_of_week_index, customer_id

),

fav_colour as (
    {{ hm_favourite('history', 'as_of_week_index, customer_id',
                    'colour_group_name', 'colour_group') }}
),

fav_pattern as (
    {{ hm_favourite('history', 'as_of_week_index, customer_id',
                    'graphical_appearance_name', 'pattern') }}
),

fav_product_type as (
    {{ hm_favourite('history', 'as_of_week_index, customer_id',
                    'product_type_name', 'product_type') }}
),

fav_department as (
    {{ hm_favourite('history', 'as_of_week_index, customer_id',
                    'department_name', 'department') }}
),

all_customer_weeks as (

    select
        population.as_of_week_index,
        population.as_of_week_start_date,
        customers.customer_id,
        customers.age,
        customers.age_bucket,
        customers.club_member_status,
        customers.fashion_news_frequency,
        customers.is_fn_subscribed,
        customers.is_active
    from population
    inner join customers on population.customer_id = customers.customer_id

),

final as (

    select
        ---------- ids
        all_customer_weeks.customer_id,
        all_customer_weeks.as_of_week_index,

        ---------- strings
        all_customer_weeks.age_bucket,
        all_customer_weeks.club_member_status,
        all_customer_weeks.fashion_news_frequency,
        fav_colour.favourite_colour_group,
        fav_pattern.favourite_pattern,
        fav_product_type.favourite_product_type,
        fav_department.favourite_department,

        ---------- numerics
        all_customer_weeks.age,
        {{ dbt.datediff('activity.last_purchase_date',
                        'all_customer_weeks.as_of_week_start_date', 'day') }}
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
        fav_colour.favourite_colour_group_share,
        fav_pattern.favourite_pattern_share,
        fav_product_type.favourite_product_type_share,
        fav_department.favourite_department_share,

        ---------- booleans
        all_customer_weeks.is_fn_subscribed,
        all_customer_weeks.is_active,
        activity.customer_id is not null as has_history,

        ---------- dates
        all_customer_weeks.as_of_week_start_date

    from all_customer_weeks
    left join activity
        on all_customer_weeks.customer_id = activity.customer_id
        and all_customer_weeks.as_of_week_index = activity.as_of_week_index
    left join fav_colour
        on all_customer_weeks.customer_id = fav_colour.customer_id
        and all_customer_weeks.as_of_week_index = fav_colour.as_of_week_index
    left join fav_pattern
        on all_customer_weeks.customer_id = fav_pattern.customer_id
        and all_customer_weeks.as_of_week_index = fav_pattern.as_of_week_index
    left join fav_product_type
        on all_customer_weeks.customer_id = fav_product_type.customer_id
        and all_customer_weeks.as_of_week_index
        = fav_product_type.as_of_week_index
    left join fav_department
        on all_customer_weeks.customer_id = fav_department.customer_id
        and all_customer_weeks.as_of_week_index
        = fav_department.as_of_week_index

)

select * from final
