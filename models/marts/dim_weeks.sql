{#- One row per Wednesday -> Tuesday week of the data plus the prediction
    week, with the role each week plays in the time-split ML tables. -#}
with

transactions as (

    select transaction_date from {{ ref('stg_hm__transactions') }}

),

bounds as (

    -- from the first week of data to the prediction week, or to the last
    -- week of data when the cutoff is moved back to back-test
    select
        {{ hm_week_index('min(transaction_date)') }} as first_week_index,
        greatest(
            {{ hm_week_index('max(transaction_date)') }}, 0
        ) as last_week_index
    from transactions

),

week_indexes as (

    {{ hm_integer_series(
        '(select first_week_index from bounds)',
        '(select last_week_index from bounds)'
    ) }}

),

final as (

    select
        ---------- ids
        week_index,

        ---------- dates
        {{ hm_week_start_from_index('week_index') }} as week_start_date,
        cast(
            {{ dbt.dateadd('day', 6, hm_week_start_from_index('week_index')) }}
            as date
        ) as week_end_date,

        ---------- strings
        case
            when week_index = 0 then 'predict'
            when week_index = -1 then 'valid'
            when
                week_index < -1
                and week_index >= {{ hm_first_target_week_index() }}
                then 'train'
        end as ml_split,

        ---------- booleans
        week_index = 0 as is_prediction_week

    from week_indexes

)

select * from final
