{#- Age bucket label of an integer age, the six buckets the earlier analyses
    of this data used (under_20, 20_to_29, 30_to_39, 40_to_49, 50_to_59,
    60_plus) and 'unknown' for a missing age. -#}
{% macro hm_age_bucket(age_expr) -%}
    case
        when {{ age_expr }} is null then 'unknown'
        when {{ age_expr }} < 20 then 'under_20'
        when {{ age_expr }} < 30 then '20_to_29'
        when {{ age_expr }} < 40 then '30_to_39'
        when {{ age_expr }} < 50 then '40_to_49'
        when {{ age_expr }} < 60 then '50_to_59'
        else '60_plus'
    end
{%- endmacro %}
