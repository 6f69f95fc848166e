{#- The Kaggle submission: one row per customer of sample_submission.csv,
    `prediction` = 12 distinct 10-digit article ids, best first. -#}
with

submission_rows as (

    select * from {{ ref('submission_rows') }}

),

final as (

    select
        customer_id,
        {{ hm_ordered_join(
            'article_id', "' '", 'prediction_rank'
        ) }} as prediction
    from submission_rows
    group by customer_id

)

select * from final
