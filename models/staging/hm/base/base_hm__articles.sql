{{ config(
    pre_hook=[hm_file_order_pre_hook(), "{{ hm_unreadable_lines_pre_hook('articles') }}"],
    post_hook=[
        "{{ hm_unreadable_lines_post_hook('hm', 'articles', 'articles', 'raw_article_id', true) }}",
        hm_file_order_post_hook(),
    ],
) }}

with

source as (

    select * from {{ hm_source_relation('hm', 'articles') }}

),

renamed as (

    select
        -- provenance
        {{ hm_file_row_number() }} as source_row,
        {{ hm_source_file_name('hm', 'articles') }} as source_file,
        {{ hm_csv_row([
            'article_id', 'product_code', 'prod_name', 'product_type_no',
            'product_type_name', 'product_group_name',
            'graphical_appearance_no', 'graphical_appearance_name',
            'colour_group_code', 'colour_group_name',
            'perceived_colour_value_id', 'perceived_colour_value_name',
            'perceived_colour_master_id', 'perceived_colour_master_name',
            'department_no', 'department_name', 'index_code', 'index_name',
            'index_group_no', 'index_group_name', 'section_no',
            'section_name', 'garment_group_no', 'garment_group_name',
            'detail_desc',
        ] + hm_spare_fields()) | indent(8) }} as raw_row,
        hm_spare_1 is not null as has_extra_fields,
        -- true on the lines DuckDB set aside (hm_unreadable_lines_post_hook)
        false as is_set_aside,

        -- raw text fields, as read
        article_id as raw_article_id,
        product_code as raw_product_code,
        prod_name as raw_prod_name,
        product_type_no as raw_product_type_no,
        product_type_name as raw_product_type_name,
        product_group_name as raw_product_group_name,
        graphical_appearance_no as raw_graphical_appearance_no,
        graphical_appearance_name as raw_graphical_appearance_name,
        colour_group_code as raw_colour_group_code,
        colour_group_name as raw_colour_group_name,
        perceived_colour_value_id as raw_perceived_colour_value_id,
        perceived_colour_value_name as raw_perceived_colour_value_name,
        perceived_colour_master_id as raw_perceived_colour_master_id,
        perceived_colour_master_name as raw_perceived_colour_master_name,
        department_no as raw_department_no,
        department_name as raw_department_name,
        index_code as raw_index_code,
        index_name as raw_index_name,
        index_group_no as raw_index_group_no,
        index_group_name as raw_index_group_name,
        section_no as raw_section_no,
        section_name as raw_section_name,
        garment_group_no as raw_garment_group_no,
        garment_group_name as raw_garment_group_name,
        detail_desc as raw_detail_desc

    from source

),

parsed as (

    select
        *,

        ---------- ids
        {{ hm_parse_article_id('raw_article_id') }} as article_id,
        {{ hm_parse_product_code('raw_product_code') }} as product_code,

        ---------- strings
        nullif(raw_prod_name, '') as prod_name,
        nullif(raw_product_type_name, '') as product_type_name,
        nullif(raw_product_group_name, '') as product_group_name,
        nullif(
            raw_graphical_appearance_name, ''
        ) as graphical_appearance_name,
        nullif(raw_colour_group_name, '') as colour_group_name,
        nullif(
            raw_perceived_colour_value_name, ''
        ) as perceived_colour_value_name,
        nullif(
            raw_perceived_colour_master_name, ''
        ) as perceived_colour_master_name,
        nullif(raw_department_name, '') as department_name,
        nullif(raw_index_code, '') as index_code,
        nullif(raw_index_name, '') as index_name,
        nullif(raw_index_group_name, '') as index_group_name,
        nullif(raw_section_name, '') as section_name,
        nullif(raw_garment_group_name, '') as garment_group_name,
        nullif(raw_detail_desc, '') as detail_desc,

        ---------- numerics (integer codes; -1 means unknown)
        {{ hm_parse_integer('raw_product_type_no') }} as product_type_no,
        {{ hm_parse_integer('raw_graphical_appearance_no') }}
            as graphical_appearance_no,
        {{ hm_parse_integer('raw_colour_group_code') }} as colour_group_code,
        {{ hm_parse_integer('raw_perceived_colour_value_id') }}
            as perceived_colour_value_id,
        {{ hm_parse_integer('raw_perceived_colour_master_id') }}
            as perceived_colour_master_id,
        {{ hm_parse_integer('raw_department_no') }} as department_no,
        {{ hm_parse_integer('raw_index_group_no') }} as index_group_no,
        {{ hm_parse_integer('raw_section_no') }} as section_no,
        {{ hm_parse_integer('raw_garment_group_no') }} as garment_group_no

    from renamed

),

row_checks as (

    select
        *,
        case
            when has_extra_fields
                then {{ hm_reason('articles', 'too many fields') }}
            when raw_detail_desc is null
                then {{ hm_reason('articles', 'too few fields') }}
            when article_id is null
                then {{ hm_reason('articles', 'malformed article_id') }}
            when product_code is null
                then {{ hm_reason('articles', 'malformed product_code') }}
            when {{ hm_is_unparseable('product_type_no') }}
                then {{ hm_reason('articles', 'unparseable product_type_no') }}
            when {{ hm_is_unparseable('graphical_appearance_no') }}
                then {{
                    hm_reason('articles', 'unparseable graphical_appearance_no')
                }}
            when {{ hm_is_unparseable('colour_group_code') }}
                then {{
                    hm_reason('articles', 'unparseable colour_group_code')
                }}
            when {{ hm_is_unparseable('perceived_colour_value_id') }}
                then {{
                    hm_reason(
                        'articles', 'unparseable perceived_colour_value_id'
                    )
                }}
            when {{ hm_is_unparseable('perceived_colour_master_id') }}
                then {{
                    hm_reason(
                        'articles', 'unparseable perceived_colour_master_id'
                    )
                }}
            when {{ hm_is_unparseable('department_no') }}
                then {{ hm_reason('articles', 'unparseable department_no') }}
            when {{ hm_is_unparseable('index_group_no') }}
                then {{ hm_reason('articles', 'unparseable index_group_no') }}
            when {{ hm_is_unparseable('section_no') }}
                then {{ hm_reason('articles', 'unparseable section_no') }}
            when {{ hm_is_unparseable('garment_group_no') }}
                then {{ hm_reason('articles', 'unparseable garment_group_no') }}
        end as row_rejection_reason

    from parsed

),

-- one row per article_id among the rows that pass the row checks: the first in
-- the file is kept, the others are quarantined as (conflicting) duplicates
final as (

    {{ hm_reject_duplicate_keys(
        'row_checks', 'articles', 'article_id', [
            'article_id',
            'product_code',
            'prod_name',
            'product_type_name',
            'product_group_name',
            'graphical_appearance_name',
            'colour_group_name',
            'perceived_colour_value_name',
            'perceived_colour_master_name',
            'department_name',
            'index_code',
            'index_name',
            'index_group_name',
            'section_name',
            'garment_group_name',
            'detail_desc',
            'product_type_no',
            'graphical_appearance_no',
            'colour_group_code',
            'perceived_colour_value_id',
            'perceived_colour_master_id',
            'department_no',
            'index_group_no',
            'section_no',
            'garment_group_no',
        ],
    ) }}

)

select * from final
