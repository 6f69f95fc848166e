{#- The customers ranked in each target week: for training and validation
    weeks the customers who bought that week (only they have labels); for
    the prediction week every customer of sample_submission.csv. -#}
with

weeks as (

    select
        week_index,
        ml_split
    from {{ ref('dim_weeks') }}
    where ml_split is not null

),

transactions as (

    select * from {{ ref('fct_transactions') }}

),

submission_customers as (

    -- every clean sample_submission id is a clean customer (staging checks)
    select customers.customer_key
    from {{ ref('stg_hm__sample_submission') }} as sample_submission
    inner join {{ ref('stg_hm__customers') }} as customers
        on sample_submission.customer_id = customers.customer_id

),

customers as (

    select
        customer_key,
        age_bucket
    from {{ ref('dim_customers') }}

),

buyers as (

    select distinct
        transactions.customer_key,
        weeks.week_index,
        weeks.ml_split
    from transactions
    inner join weeks on transactions.week_index = weeks.week_index

),

to_predict as (

    select
        submission_customers.customer_key,
        weeks.week_index,
        weeks.ml_split
    from submission_customers
    cross join weeks
    where weeks.ml_split = 'predict'

),

unioned as (

    select * from buyers
    union all
    select * from to_predict

),

final as (

    select
        ---------- ids
        unioned.customer_key,
        unioned.week_index,

        ---------- strings
        unioned.ml_split,
        coalesce(customers.age_bucket, 'unknown') as age_bucket

    from unioned
    left join customers on unioned.customer_key = customers.customer_key

)

select * from final
