-- Every rejected row carries a reason from its file's vocabulary (macro
-- hm_rejection_reasons). Returns the rows that do not.

with

articles_rejected as (

    select * from {{ ref('stg_hm__articles_rejected') }}

),

customers_rejected as (

    select * from {{ ref('stg_hm__customers_rejected') }}

),

transactions_rejected as (

    select * from {{ ref('stg_hm__transactions_rejected') }}

),

sample_submission_rejected as (

    select * from {{ ref('stg_hm__sample_submission_rejected') }}

),

all_rejected as (

    select
        'articles' as entity,
        rejection_reason,
        raw_row,
        coalesce(
            rejection_reason in ({{
                hm_rejection_reason_literals('articles', indent=16)
            }}
            ),
            false
        ) as is_known_reason
    from articles_rejected

    union all

    select
        'customers' as entity,
        rejection_reason,
        raw_row,
        coalesce(
            rejection_reason in ({{
                hm_rejection_reason_literals('customers', indent=16)
            }}
            ),
            false
        ) as is_known_reason
    from customers_rejected

    union all

    select
        'transactions' as entity,
        rejection_reason,
        raw_row,
        coalesce(
            rejection_reason in ({{
                hm_rejection_reason_literals('transactions', indent=16)
            }}
            ),
            false
        ) as is_known_reason
    from transactions_rejected

    union all

    select
        'sample_submission' as entity,
        rejection_reason,
        raw_row,
        coalesce(
            rejection_reason in ({{
                hm_rejection_reason_literals('sample_submission', indent=16)
            }}
            ),
            false
        ) as is_known_reason
    from sample_submission_rejected

),

final as (

    select * from all_rejected
    where not is_known_reason

)

select * from final
