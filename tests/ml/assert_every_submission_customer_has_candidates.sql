{#- Every customer to predict (spine_customer_weeks, split 'predict': every
    customer of sample_submission.csv) gets prediction-week candidates,
    customers with no history included: the popular sources cover them. -#}
with

to_predict as (

    select customer_key from {{ ref('spine_customer_weeks') }}
    where ml_split = 'predict'

),

predicted as (

    select distinct customer_key from {{ ref('cand_union') }}
    where week_index = 0

),

final as (

    select to_predict.customer_key
    from to_predict
    left join predicted
        on to_predict.customer_key = predicted.customer_key
    where predicted.customer_key is null

)

select * from final
