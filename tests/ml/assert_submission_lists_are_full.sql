{#- Every customer of sample_submission.csv gets exactly var('submission_n')
    articles in submission_rows (the popular fill never runs dry). Returns
    the customers with another count, and those with none. -#}
with

customers as (

    select customer_id from {{ ref('stg_hm__sample_submission') }}

),

counted as (

    select
        customer_id,
        count(*) as n_articles
    from {{ ref('submission_rows') }}
    group by customer_id

)

select
    customers.customer_id,
    coalesce(counted.n_articles, 0) as n_articles
from customers
left join counted on customers.customer_id = counted.customer_id
where coalesce(counted.n_articles, 0) <> {{ var('submission_n') }}
