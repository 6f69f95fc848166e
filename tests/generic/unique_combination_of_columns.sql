{#- Fails on every combination of `combination_of_columns` that occurs in
    more than one row of `model`: the compound primary key test (the
    dbt_utils test of the same name, which needs dbt Hub). -#}
{% test unique_combination_of_columns(model, combination_of_columns) -%}

with

grouped as (

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}

),

final as (

    select * from grouped
    where n_rows > 1

)

select * from final

{%- endtest %}
