{#- A view: the clean filter of base_hm__transactions, the one parsed table
    (a table here would copy 31.8M rows that every reader can filter from the
    base as cheaply). It names the base without the catalog, which is the
    warehouse file's name: a copy of the warehouse under another name still
    reads it. -#}
{{ config(materialized='view') }}

with

base_transactions as (

    select * from {{ ref('base_hm__transactions').include(database=false) }}

),

clean as (

    select * from base_transactions
    where rejection_reason is null

),

final as (

    select
        ---------- ids
        customer_id,
        article_id,
        sales_channel_id,

        ---------- numerics
        price,

        ---------- dates
        transaction_date

    from clean

)

select * from final
