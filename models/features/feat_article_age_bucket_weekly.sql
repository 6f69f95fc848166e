{#- Popularity of each article within each customer age bucket in the week
    before each target week, with its rank inside the bucket. -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

customers as (

    select
        customer_key,
        age_bucket
    from {{ ref('dim_customers') }}

),

as_of_weeks as (

    select week_index
    from {{ ref('dim_weeks') }}
    where ml_split is not null

),

units as (

    select
        as_of_weeks.week_index as as_of_week_index,
        customers.age_bucket,
        transactions.article_key,
        count(*) as bucket_units_1w
    from transactions
    inner join as_of_weeks
        on transactions.week_index = as_of_weeks.week_index - 1
    inner join customers on transactions.customer_key = customers.customer_key
    group by
        as_of_weeks.week_index, customers.age_bucket,
        transactions.article_key

),

final as (

    select
        ---------- ids
        article_key,
        age_bucket,
        as_of_week_index,

        ---------- numerics
        bucket_units_1w,
        bucket_units_1w * cast(1 as double) / sum(bucket_units_1w) over (
            partition by as_of_week_index, age_bucket
        ) as bucket_share_1w,
        row_number() over (
            partition by as_of_week_index, age_bucket
            order by bucket_units_1w desc, article_key asc
        ) as bucket_rank_1w

    from units

)

select * from final
