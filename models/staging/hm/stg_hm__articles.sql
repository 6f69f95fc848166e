with

base_articles as (

    select * from {{ ref('base_hm__articles') }}

),

clean as (

    select * from base_articles
    where rejection_reason is null

),

final as (

    select
        ---------- ids
        -- the surrogate key every join downstream uses: 32-bit, dense, in
        -- article_id order (so sorting by it sorts by the id)
        cast(
            row_number() over (order by article_id) as integer
        ) as article_key,
        article_id,
        product_code,

        ---------- strings
        prod_name,
        product_type_name,
        product_group_name,
        graphical_appearance_name,
        colour_group_name,
        perceived_colour_value_name,
        perceived_colour_master_name,
        department_name,
        index_code,
        index_name,
        index_group_name,
        section_name,
        garment_group_name,
        detail_desc,

        ---------- numerics
        product_type_no,
        graphical_appearance_no,
        colour_group_code,
        perceived_colour_value_id,
        perceived_colour_master_id,
        department_no,
        index_group_no,
        section_no,
        garment_group_no

    from clean

)

select * from final
