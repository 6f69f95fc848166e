{#- Strategy rebuy_decay_trending: time-decayed re-buys and trending
    popularity, its weights chosen on the training weeks only (macro
    hm_baseline_rebuy_decay_trending, the same SQL as the generator's figure
    of that name). -#}
with

candidates as (

    select * from {{ ref('eval_rebuy_decay_candidates') }}

),

purchases as (

    select * from {{ ref('fct_transactions') }}

),

final as (

    {{ hm_baseline_rebuy_decay_trending(
        'candidates', 'purchases', hm_baseline_settings()
    ) }}

)

select * from final
