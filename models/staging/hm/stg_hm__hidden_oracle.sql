{#- The generator's oracle lists in long form when the data directory has
    them (generated data), else no rows: one row per (customer, article)
    with its rank in the customer's list. -#}
with

source as (

    {{ hm_optional_hidden_source('oracle_predictions') }}

),

exploded as (

    {{ hm_explode_ranked_list('source', 'customer_id', 'prediction') }}

),

final as (

    select
        ---------- ids
        {{ hm_parse_customer_id('customer_id') }} as customer_id,
        {{ hm_parse_article_id('list_item') }} as article_id,

        ---------- numerics
        list_rank as prediction_rank

    from exploded

)

select * from final
