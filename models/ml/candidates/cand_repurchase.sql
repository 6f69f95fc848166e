{#- Candidate source "repurchase": the articles the customer bought in the
    lookback window (by default the whole history), by units decayed with
    the weeks since each purchase (var repurchase_decay_weeks). -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

bought as (

    select * from {{ ref('feat_customer_article_weekly') }}

),

scored as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        bought.article_key,
        bought.article_units_decayed as score
    from customer_weeks
    inner join bought
        on customer_weeks.customer_key = bought.customer_key
        and customer_weeks.week_index = bought.as_of_week_index

),

final as (
    {{ hm_candidate_ranks('scored', 'repurchase', var('repurchase_n')) }}
)

select * from final
