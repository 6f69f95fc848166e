{#- The hidden next week's transactions when the data directory has them
    (generated data), else no rows. Rows are typed and kept; `is_valid`
    marks the ones evaluation can trust. -#}
-- depends_on: {{ source('hm_hidden', 'transactions_test_week') }}
{%- set present = false %}
{%- if execute %}
{%- set node = hm_source_node('hm_hidden', 'transactions_test_week') %}
    {%- set present = hm_file_exists(
        node.meta['data_dir'] ~ '/hidden/transactions_test_week.csv'
    ) %}
{%- endif %}
with

{% if present %}
source as (

    select * from {{ source('hm_hidden', 'transactions_test_week') }}

),

{% else %}
source as (

    select
        cast(null as varchar) as t_dat,
        cast(null as varchar) as customer_id,
        cast(null as varchar) as article_id,
        cast(null as varchar) as price,
        cast(null as varchar) as sales_channel_id
    where 1 = 0

),

{% endif %}
parsed as (

    select
        ---------- ids
        {{ hm_parse_customer_id('customer_id') }} as customer_id,
        {{ hm_parse_article_id('article_id') }} as article_id,
        {{ hm_parse_integer('sales_channel_id') }} as sales_channel_id,

        ---------- numerics
        {{ hm_parse_double('price') }} as price,

        ---------- dates
        {{ hm_parse_date('t_dat') }} as transaction_date

    from source

),

final as (

    select
        *,
        customer_id is not null
        and article_id is not null
        and transaction_date is not null as is_valid
    from parsed

)

select * from final
