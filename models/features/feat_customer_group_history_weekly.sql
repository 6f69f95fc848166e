{#- The propensity model's rows (feat_customer_group_propensity): per
    week and customer, each product group the customer bought in before
    the week, with their history in it and the group's season a year
    earlier, and whether they bought in the group that week (null in the
    prediction week). Target weeks hold the customers scored that week
    (spine_customer_weeks); the propensity_train_weeks weeks before the
    first target week hold a seeded hash sample of
    propensity_train_customers customers (the training rows). -#}
{%- set first = hm_first_target_week_index() %}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

articles as (

    select
        article_key,
        product_group_name
    from {{ ref('dim_articles') }}

),

training_weeks as (

    select week_index
    from {{ ref('dim_weeks') }}
    where
        week_index < {{ first }}
        and week_index
        >= {{ first }}
        - {{ var('propensity_train_weeks') }}

),

sampled_customers as (

    select customer_key
    from {{ ref('dim_customers') }}
    where has_purchases
    order by {{ dbt.hash('customer_key') }}, customer_key
    limit {{ var('propensity_train_customers') }}

),

population as (

    select
        customer_key,
        week_index
    from {{ ref('spine_customer_weeks') }}

    union all

    select
        sampled_customers.customer_key,
        training_weeks.week_index
    from sampled_customers
    cross join training_weeks

),

purchases as (

    select
        transactions.customer_key,
        transactions.week_index,
        articles.product_group_name
    from transactions
    inner join articles on transactions.article_key = articles.article_key

),

history as (

    select
        population.week_index as as_of_week_index,
        population.customer_key,
        purchases.product_group_name,
        count(*) as group_units,
        cast(
            sum(
                case
                    when
                        purchases.week_index >= population.week_index - 4
                        then 1
                    else 0
                end
            ) as bigint
        ) as group_units_4w,
        cast(
            sum(
                case
                    when
                        purchases.week_index >= population.week_index - 12
                        then 1
                    else 0
                end
            ) as bigint
        ) as group_units_12w,
        population.week_index
        - max(purchases.week_index) as weeks_since_group_purchase,
        count(distinct purchases.week_index) as group_active_weeks
    from population
    inner join purchases
        on population.customer_key = purchases.customer_key
        and population.week_index > purchases.week_index
    group by
        population.week_index,
        population.customer_key,
        purchases.product_group_name

),

group_weeks as (

    select
        product_group_name,
        week_index,
        count(*)
        * cast(1 as double)
        / sum(count(*)) over (partition by week_index) as group_share
    from purchases
    group by product_group_name, week_index

),

season as (

    -- the group's share of all units in the same week a year earlier over
    -- its mean share in the 8 weeks around it
    select
        weeks.as_of_week_index,
        group_weeks.product_group_name,
        max(
            case
                when group_weeks.week_index = weeks.as_of_week_index - 52
                    then group_weeks.group_share
            end
        ) / nullif(avg(group_weeks.group_share), 0) as group_season_index
    from
        (select distinct week_index as as_of_week_index from population
        ) as weeks
    inner join group_weeks
        on group_weeks.week_index between weeks.as_of_week_index - 56
        and weeks.as_of_week_index - 48
    group by weeks.as_of_week_index, group_weeks.product_group_name

),

bought as (

    select distinct
        customer_key,
        week_index,
        product_group_name
    from purchases

),

final as (

    select
        ---------- ids
        history.customer_key,
        history.as_of_week_index,

        ---------- strings
        history.product_group_name,

        ---------- numerics
        history.group_units,
        history.group_units_4w,
        history.group_units_12w,
        cast(history.group_units as double) / sum(history.group_units) over (
            partition by history.as_of_week_index, history.customer_key
        ) as group_share_of_customer,
        cast(
            sum(history.group_units_4w) over (
                partition by history.as_of_week_index, history.customer_key
            ) as bigint
        ) as customer_units_4w,
        history.weeks_since_group_purchase,
        history.group_active_weeks,
        season.group_season_index,
        case
            when history.as_of_week_index >= 0 then null
            when bought.customer_key is not null then 1
            else 0
        end as bought_in_week

    from history
    left join season
        on history.as_of_week_index = season.as_of_week_index
        and history.product_group_name = season.product_group_name
    left join bought
        on history.customer_key = bought.customer_key
        and history.as_of_week_index = bought.week_index
        and history.product_group_name = bought.product_group_name

)

select * from final
