with

base_sample_submission as (

    select * from {{ ref('base_hm__sample_submission') }}

),

clean as (

    select * from base_sample_submission
    where rejection_reason is null

),

final as (

    select
        ---------- ids
        customer_id,

        ---------- strings
        prediction

    from clean

)

select * from final
