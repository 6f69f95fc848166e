{#- Fails on every row of `model` where `expression` is not true (false or
    null). As a column test, the expression is appended to the column:
    `expression: ">= 0"` checks `<column> >= 0`. Rows where the column is
    null pass, so optional columns can be checked (pair with not_null). -#}
{% test expression_is_true(model, expression, column_name=none) -%}

with

checked as (

    select * from {{ model }}
    {%- if column_name is not none %}
    where {{ column_name }} is not null
    {%- endif %}

),

final as (

    select * from checked
    {%- if column_name is none %}
    where not coalesce({{ expression }}, false)
    {%- else %}
    where not coalesce({{ column_name }} {{ expression }}, false)
    {%- endif %}

)

select * from final

{%- endtest %}
