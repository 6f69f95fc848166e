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
        customer_key,
        week_index,
        article_key
    from transactions
    where week_index = -1

),

customers as (

    select
        customer_id,
        customer_key
    from {{ ref('dim_customers') }}

),

articles as (

    select
        article_id,
        article_key
    from {{ ref('dim_articles') }}

),

prediction_week as (

    -- the hidden file names customers and articles by id: keyed here (the
    -- relationships tests of stg_hm__hidden_transactions fail on an id the
    -- dimensions lack, so no label is lost by the joins)
    select distinct
        customers.customer_key,
        {{ hm_week_index('hidden.transaction_date') }} as week_index,
        articles.article_key
    from hidden
    inner join customers on hidden.customer_id = customers.customer_id
    inner join articles on hidden.article_id = articles.article_id

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
        customer_key,
        week_index,
        article_key,

        ---------- strings
        case when week_index = 0 then 'hidden' else 'valid' end as eval_week

    from unioned

)

select * from final
