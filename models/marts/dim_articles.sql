{#- One row per article: its full product hierarchy (codes and names) and
    its sales up to the cutoff (var cutoff_date): launch and last sale week,
    units, buyers, revenue and price range. -#}
with

articles as (

    select * from {{ ref('stg_hm__articles') }}

),

transactions as (

    select * from {{ ref('fct_transactions') }}

),

sales_summary as (

    select
        article_key,
        count(*) as n_units_sold,
        count(distinct customer_key) as n_distinct_buyers,
        sum(price) as lifetime_revenue,
        min(price) as min_price,
        avg(price) as mean_price,
        max(price) as max_price,
        min(transaction_date) as first_sale_date,
        max(transaction_date) as last_sale_date,
        min(week_start_date) as launch_week_start_date,
        max(week_start_date) as last_sale_week_start_date
    from transactions
    where transaction_date <= {{ hm_cutoff_date() }}
    group by article_key

),

final as (

    select
        ---------- ids
        articles.article_key,
        articles.article_id,
        articles.product_code,

        ---------- strings
        articles.prod_name,
        articles.product_type_name,
        articles.product_group_name,
        articles.graphical_appearance_name,
        articles.colour_group_name,
        articles.perceived_colour_value_name,
        articles.perceived_colour_master_name,
        articles.department_name,
        articles.section_name,
        articles.index_code,
        articles.index_name,
        articles.index_group_name,
        articles.garment_group_name,
        articles.detail_desc,

        ---------- numerics
        articles.product_type_no,
        articles.graphical_appearance_no,
        articles.colour_group_code,
        articles.perceived_colour_value_id,
        articles.perceived_colour_master_id,
        articles.department_no,
        articles.section_no,
        articles.index_group_no,
        articles.garment_group_no,
        coalesce(sales_summary.n_units_sold, 0) as n_units_sold,
        coalesce(sales_summary.n_distinct_buyers, 0) as n_distinct_buyers,
        coalesce(sales_summary.lifetime_revenue, 0) as lifetime_revenue,
        sales_summary.min_price,
        sales_summary.mean_price,
        sales_summary.max_price,

        ---------- booleans
        sales_summary.article_key is not null as has_sales,

        ---------- dates
        sales_summary.launch_week_start_date,
        sales_summary.last_sale_week_start_date,
        sales_summary.first_sale_date,
        sales_summary.last_sale_date

    from articles
    left join sales_summary
        on articles.article_key = sales_summary.article_key

)

select * from final
