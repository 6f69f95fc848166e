{#- The index and product groups whose share of a customer's units (or an
    article's membership) is a feature: (article attribute, value, column
    suffix) triples, shared by feat_customer_weekly and the segment
    profiles. -#}
{% macro hm_share_groups() -%}
    {%- set groups = [] -%}
    {%- for attribute, values in {
        'index_group_name': [
            'Ladieswear', 'Divided', 'Menswear', 'Sport', 'Baby/Children'
        ],
        'product_group_name': [
            'Garment Upper body', 'Garment Lower body', 'Garment Full body',
            'Underwear', 'Swimwear', 'Accessories', 'Shoes'
        ],
    }.items() -%}
        {%- for value in values -%}
            {%- set column = value | lower | replace('/', '_') | replace(' ', '_') -%}
            {%- do groups.append((attribute, value, column)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(groups) }}
{%- endmacro %}
