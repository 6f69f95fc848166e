with

base_articles as (

    select * from {{ ref('base_hm__articles') }}

),

rejected as (

    select * from base_articles
    where rejection_reason is not null

),

final as (

    select
        ---------- quarantine
        rejection_reason,
        source_file,
        source_row,
        raw_row,

        ---------- raw text fields, as read
        raw_article_id,
        raw_product_code,
        raw_prod_name,
        raw_product_type_no,
        raw_product_type_name,
        raw_product_group_name,
        raw_graphical_appearance_no,
        raw_graphical_appearance_name,
        raw_colour_group_code,
        raw_colour_group_name,
        raw_perceived_colour_value_id,
        raw_perceived_colour_value_name,
        raw_perceived_colour_master_id,
        raw_perceived_colour_master_name,
        raw_department_no,
        raw_department_name,
        raw_index_code,
        raw_index_name,
        raw_index_group_no,
        raw_index_group_name,
        raw_section_no,
        raw_section_name,
        raw_garment_group_no,
        raw_garment_group_name,
        raw_detail_desc

    from rejected

)

select * from final
