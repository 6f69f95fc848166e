{#- What each customer really bought in the weeks strategies are scored on:
    the validation week (from the data) and, when the generator's hidden
    next week is present, the prediction week. -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

hidden as (

    select * from {{ ref('stg_hm__hidden_transactions') }}
    where is_valid

),

validation_week as (

    select distinct
        customer_id,
        week_index,
        article_id
    from transactions
    where week_index = -1

),

prediction_week as (

    select distinct
        customer_id,
        {{ hm_week_index('transaction_date') }} as week_index,
        article_id
    from hidden

),

unioned as (

    select * from validation_week
    union all
    select * from prediction_week
    where week_index = 0

),

final as (

    select
        ---------- ids
        customer_id,
        week_index,
        article_id,

        ---------- strings
        case when week_index = 0 then 'hidden' else 'valid' end as eval_week

    from unioned

)

select * from final
