{#- The customer-weeks every strategy is scored on: the buyers of the
    validation week and, when the generator's hidden week is present, of
    the prediction week. -#}
with

labels as (

    select * from {{ ref('eval_labels') }}

),

final as (

    select distinct
        ---------- ids
        customer_key,
        week_index

    from labels

)

select * from final
