-- Every row of every H&M file is staged exactly once: the rows read straight
-- from each source equal the clean rows plus the rejected rows. Returns the
-- files where they do not.

with

articles_counts as (

    select
        'articles.csv' as source_file,
        (select count(*) from {{ source('hm', 'articles') }}) as raw_rows,
        (select count(*) from {{ ref('stg_hm__articles') }}) as clean_rows,
        (
            select count(*) from {{ ref('stg_hm__articles_rejected') }}
        ) as rejected_rows

),

customers_counts as (

    select
        'customers.csv' as source_file,
        (select count(*) from {{ source('hm', 'customers') }}) as raw_rows,
        (select count(*) from {{ ref('stg_hm__customers') }}) as clean_rows,
        (
            select count(*) from {{ ref('stg_hm__customers_rejected') }}
        ) as rejected_rows

),

transactions_counts as (

    select
        'transactions_train.csv' as source_file,
        (
            select count(*) from {{ source('hm', 'transactions_train') }}
        ) as raw_rows,
        (
            select count(*) from {{ ref('stg_hm__transactions') }}
        ) as clean_rows,
        (
            select count(*) from {{ ref('stg_hm__transactions_rejected') }}
        ) as rejected_rows

),

sample_submission_counts as (

    select
        'sample_submission.csv' as source_file,
        (
            select count(*) from {{ source('hm', 'sample_submission') }}
        ) as raw_rows,
        (
            select count(*) from {{ ref('stg_hm__sample_submission') }}
        ) as clean_rows,
        (
            select count(*)
            from {{ ref('stg_hm__sample_submission_rejected') }}
        ) as rejected_rows

),

all_counts as (

    select * from articles_counts
    union all
    select * from customers_counts
    union all
    select * from transactions_counts
    union all
    select * from sample_submission_counts

),

final as (

    select * from all_counts
    where raw_rows != clean_rows + rejected_rows

)

select * from final
