{#- submission.csv, ready to upload to Kaggle (path: var submission_path). -#}
{{ config(
    materialized='external',
    location=var('submission_path'),
    format='csv',
) }}

with

submission as (

    select * from {{ ref('submission') }}

),

final as (

    select
        customer_id,
        prediction
    from submission
    order by customer_id

)

select * from final
