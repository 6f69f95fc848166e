{#- Every customer of sample_submission.csv gets prediction-week candidates
    (customers with no history included: the popular sources cover them). -#}
with

submission_customers as (

    select customer_id from {{ ref('stg_hm__sample_submission') }}

),

predicted as (

    select distinct customer_id from {{ ref('cand_union') }}
    where week_index = 0

),

final as (

    select submission_customers.customer_id
    from submission_customers
    left join predicted
        on submission_customers.customer_id = predicted.customer_id
    where predicted.customer_id is null

)

select * from final
