{#- The best sellers of the last week of data (the week before the
    prediction week) within each customer age bucket: units, buyers, the
    article's share of the bucket's units and its names. Articles per
    bucket: var analysis_top_n (default 12, the submission length). -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

last_week as (

    -- the last week with data up to the cutoff (week index -1 by default)
    select max(week_index) as week_index
    from transactions
    where transaction_date <= {{ hm_cutoff_date() }}

),

bucket_sales as (

    select
        customers.age_bucket,
        transactions.article_key,
        min(transactions.week_start_date) as week_start_date,
        count(*) as n_units,
        count(distinct transactions.customer_key) as n_buyers
    from transactions
    inner join last_week
        on transactions.week_index = last_week.week_index
    inner join customers
        on transactions.customer_key = customers.customer_key
    group by customers.age_bucket, transactions.article_key

),

ranked as (

    select
        age_bucket,
        article_key,
        week_start_date,
        n_units,
        n_buyers,
        n_units * 1.0 / sum(n_units) over (
            partition by age_bucket
        ) as bucket_unit_share,
        row_number() over (
            partition by age_bucket
            order by n_units desc, n_buyers desc, article_key asc
        ) as bucket_rank
    from bucket_sales

),

final as (

    select
        ---------- ids
        ranked.age_bucket,
        ranked.bucket_rank,
        articles.article_id,

        ---------- strings
        articles.prod_name,
        articles.product_type_name,
        articles.colour_group_name,

        ---------- numerics
        ranked.n_units,
        ranked.n_buyers,
        ranked.bucket_unit_share,

        ---------- dates
        ranked.week_start_date

    from ranked
    inner join articles on ranked.article_key = articles.article_key
    where ranked.bucket_rank <= {{ var('analysis_top_n', 12) }}

)

select * from final
order by age_bucket asc, bucket_rank asc
