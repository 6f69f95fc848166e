{#- Customer features as of the start of each target week (dim_weeks rows
    with an ml_split), from transactions strictly before that week, for the
    customers scored that week: the week's buyers for training and
    validation weeks (only they have labels), every customer for the
    prediction week. -#}
{#- the index and product groups whose share of units is a feature:
    (article attribute, value, column suffix) -#}
{%- set groups = hm_share_groups() %}
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
        customer_key,
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

    -- the scored customers of each week, with their attributes: every
    -- customer for the prediction week, the week's buyers otherwise
    select
        customers.customer_key,
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
    where
        as_of_weeks.ml_split = 'predict'
        or exists (
            select 1 as is_buyer
            from customer_weeks
            where
                customer_weeks.customer_key = customers.customer_key
                and customer_weeks.week_index = as_of_weeks.week_index
        )

),

as_of_bounds as (

    select
        -- weeks up to 13 before the first as-of week fall outside every
        -- window (the longest is 12 weeks) and share one bucket
        min(week_index) - 13 as older_bucket_week_index,
        max(week_index) as last_as_of_week_index
    from as_of_weeks

),

-- Every purchase before the last as-of week, with the week it is counted
-- in: its own week inside the windows (the longest is 12 weeks before the
-- first as-of week), one bucket per customer for everything older. The
-- as-of weeks are consecutive, so each feature is a sum over a customer's
-- buckets before the as-of week: the whole history is aggregated once, not
-- once per as-of week.
purchases {{ hm_cte_inlined() }} (

    select
        transactions.customer_key,
        transactions.article_key,
        transactions.price,
        transactions.sales_channel_id,
        transactions.transaction_date,
        transactions.week_index,
        greatest(
            transactions.week_index,
            (select as_of_bounds.older_bucket_week_index from as_of_bounds)
        ) as bucket_week_index,
        articles.index_group_name,
        articles.product_group_name,
        articles.colour_group_name,
        articles.graphical_appearance_name,
        articles.product_type_name,
        articles.department_name
    from transactions
    inner join articles on transactions.article_key = articles.article_key
    where
        transactions.week_index
        < (select as_of_bounds.last_as_of_week_index from as_of_bounds)

),

first_purchases as (

    -- each customer's articles with the bucket of their first purchase
    select
        customer_key,
        article_key,
        min(bucket_week_index) as bucket_week_index
    from purchases
    group by customer_key, article_key

),

buckets {{ hm_cte_inlined() }} (

    -- per customer and bucket: units, spend, channel and group counts, and
    -- the articles first bought in that bucket (so distinct articles add
    -- up across buckets)
    select
        customer_key,
        bucket_week_index,
        {% for attribute, value, column in groups %}
        sum(case when {{ attribute }} = '{{ value }}' then 1 else 0 end)
            as n_{{ column }},
        {% endfor %}
        max(transaction_date) as last_purchase_date,
        count(*) as n_units,
        count(distinct week_index) as n_active_weeks,
        0 as n_new_articles,
        sum(price) as spend,
        sum(case when sales_channel_id = 2 then 1 else 0 end) as n_online
    from purchases
    group by customer_key, bucket_week_index

    union all

    select
        customer_key,
        bucket_week_index,
        {% for _, _, column in groups %}
        0 as n_{{ column }},
        {% endfor %}
        null as last_purchase_date,
        0 as n_units,
        0 as n_active_weeks,
        count(*) as n_new_articles,
        0 as spend,
        0 as n_online
    from first_purchases
    group by customer_key, bucket_week_index

),

activity as (

    select
        population.as_of_week_index,
        population.customer_key,
        {% for _, _, column in groups %}
        cast(sum(buckets.n_{{ column }}) as double) / sum(buckets.n_units)
            as share_{{ column }},
        {% endfor %}
        max(buckets.last_purchase_date) as last_purchase_date,
        -- counts are bigint, not the HUGEINT of sum(): see feat_article_weekly
        cast(sum(buckets.n_units) as bigint) as n_units,
        {% for k in [1, 4, 12] %}
        cast(
            sum(
                case
                    when
                        buckets.bucket_week_index
                        >= population.as_of_week_index - {{ k }}
                        then buckets.n_units
                    else 0
                end
            )
            as bigint
        ) as n_units_{{ k }}w,
        {% endfor %}
        cast(sum(buckets.n_active_weeks) as bigint) as n_active_weeks,
        cast(sum(buckets.n_new_articles) as bigint) as n_distinct_articles,
        sum(buckets.spend) as spend,
        sum(
            case
                when
                    buckets.bucket_week_index
                    >= population.as_of_week_index - 4
                    then buckets.spend
                else 0
            end
        ) as spend_4w,
        sum(buckets.spend) / sum(buckets.n_units) as mean_price,
        cast(sum(buckets.n_online) as double) / sum(buckets.n_units)
            as online_share
    from population
    inner join buckets
        on population.customer_key = buckets.customer_key
        and population.as_of_week_index > buckets.bucket_week_index
    group by population.as_of_week_index, population.customer_key

),

attribute_buckets as (

    select
        customer_key,
        bucket_week_index,
        colour_group_name,
        graphical_appearance_name,
        product_type_name,
        department_name,
        count(*) as n_units
    from purchases
    group by
        customer_key,
        bucket_week_index,
        colour_group_name,
        graphical_appearance_name,
        product_type_name,
        department_name

),

-- not materialized: streamed into each favourites branch; the purchases of
-- every scored customer before the as-of week, counted per bucket
favourite_history {{ hm_cte_inlined() }} (

    select
        population.as_of_week_index,
        attribute_buckets.*
    from population
    inner join attribute_buckets
        on population.customer_key = attribute_buckets.customer_key
        and population.as_of_week_index > attribute_buckets.bucket_week_index

),

favourites as (

    {{ hm_favourites('favourite_history', 'as_of_week_index, customer_key', {
        'colour_group': 'colour_group_name',
        'pattern': 'graphical_appearance_name',
        'product_type': 'product_type_name',
        'department': 'department_name',
    }, top_n=3, weight='n_units') }}

),

final as (

    select
        ---------- ids
        population.customer_key,
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
        activity.customer_key is not null as has_history,

        ---------- dates
        population.as_of_week_start_date

    from population
    left join activity
        on population.customer_key = activity.customer_key
        and population.as_of_week_index = activity.as_of_week_index
    left join favourites
        on population.customer_key = favourites.customer_key
        and population.as_of_week_index = favourites.as_of_week_index

)

select * from final
