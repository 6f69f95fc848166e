{#- True when `channel_expr` is the online sales channel (var
    `online_sales_channel_id`; the other known channel is the store). -#}
{% macro hm_is_online(channel_expr) -%}
    ({{ channel_expr }} = {{ var('online_sales_channel_id') }})
{%- endmacro %}
