{#- A one-column relation `week_index` holding the integers lo .. hi. -#}
{% macro hm_integer_series(lo, hi) -%}
    {{ return(adapter.dispatch('hm_integer_series', 'hm_warehouse')(lo, hi)) }}
{%- endmacro %}

{% macro default__hm_integer_series(lo, hi) -%}
    select cast(value as integer) as week_index
    from range({{ lo }}, {{ hi }} + 1) as series (value)
{%- endmacro %}

{% macro spark__hm_integer_series(lo, hi) -%}
    select explode(sequence({{ lo }}, {{ hi }})) as week_index
{%- endmacro %}
