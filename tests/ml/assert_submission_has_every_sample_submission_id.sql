{#- The submission has exactly the ids of sample_submission.csv: every
    clean id and every quarantined row's id as written (but an empty one),
    each once, and no other. Returns the ids missing from the submission
    and the ids it holds that the file does not. -#}
with

file_ids as (

    select customer_id from {{ ref('stg_hm__sample_submission') }}

    union

    select raw_customer_id as customer_id
    from {{ ref('stg_hm__sample_submission_rejected') }}
    where
        rejection_reason not in (
            {{ hm_reason('sample_submission', 'duplicate customer_id') }},
            {{ hm_reason(
                'sample_submission', 'conflicting duplicate customer_id'
            ) }}
        )
        and raw_customer_id != ''

),

submitted as (

    select customer_id from {{ ref('submission') }}

),

final as (

    select
        coalesce(file_ids.customer_id, submitted.customer_id) as customer_id,
        case
            when submitted.customer_id is null then 'missing from the submission'
            else 'not in sample_submission.csv'
        end as problem
    from file_ids
    full outer join submitted
        on file_ids.customer_id = submitted.customer_id
    where file_ids.customer_id is null or submitted.customer_id is null

)

select * from final
