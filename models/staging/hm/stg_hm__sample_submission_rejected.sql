with

base_sample_submission as (

    select * from {{ ref('base_hm__sample_submission') }}

),

rejected as (

    select * from base_sample_submission
    where rejection_reason is not null

),

final as (

    select
        ---------- quarantine
        rejection_reason,
        source_file,
        source_row,
        raw_row,

        ---------- raw text fields, as read
        raw_customer_id,
        raw_prediction

    from rejected

)

select * from final
