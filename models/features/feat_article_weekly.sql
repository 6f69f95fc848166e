{#- Article features as of the start of each target week, from sales
    strictly before that week. -#}
with

article_weeks as (

    select * from {{ ref('fct_article_weeks') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

as_of_weeks as (

    select
        week_index,
        week_start_date
    from {{ ref('dim_weeks') }}
    where ml_split is not null

),

history as (

    select
        as_of_weeks.week_index as as_of_week_index,
        article_weeks.article_key,
        articles.product_type_no,
        article_weeks.week_index,
        article_weeks.n_units,
        article_weeks.n_distinct_buyers as n_buyers,
        article_weeks.revenue
    from article_weeks
    inner join as_of_weeks
        on article_weeks.week_index < as_of_weeks.week_index
    inner join articles on article_weeks.article_key = articles.article_key

),

sales as (

    select
        as_of_week_index,
        article_key,
        -- sums of integers are HUGEINT in DuckDB, which reads ~50x slower
        -- than BIGINT into Arrow: counts are cast back to bigint
        {% for k in [1, 2, 4, 12] %}
        cast(sum(case when week_index >= as_of_week_index - {{ k }}
                then n_units
            else 0
        end) as bigint) as units_{{ k }}w,
        {% endfor %}
        cast(sum(case when week_index >= as_of_week_index - 1
                then n_buyers
            else 0
        end) as bigint) as buyers_1w,
        cast(sum(n_units) as bigint) as units_total,
        sum(revenue) / sum(n_units) as mean_price,
        -- the product type's mean price over the same history
        sum(sum(revenue)) over (
            partition by as_of_week_index, min(product_type_no)
        ) / sum(sum(n_units)) over (
            partition by as_of_week_index, min(product_type_no)
        ) as type_mean_price,
        min(week_index) as first_sale_week_index,
        max(week_index) as last_sale_week_index
    from history
    group by as_of_week_index, article_key

),

type_weeks as (

    -- each product type's share of all units, per calendar week
    select
        articles.product_type_no,
        article_weeks.week_index,
        sum(article_weeks.n_units) * cast(1 as double)
        / sum(sum(article_weeks.n_units)) over (
            partition by article_weeks.week_index
        ) as type_share
    from article_weeks
    inner join articles on article_weeks.article_key = articles.article_key
    group by articles.product_type_no, article_weeks.week_index

),

seasonality as (

    -- read on the row of week W - 1 for as-of week W: the share of week
    -- W - 52 (same week last year) over the type's average share up to W - 1
    select
        product_type_no,
        week_index + 1 as as_of_week_index,
        max(type_share) over (
            partition by product_type_no order by week_index
            range between 51 preceding and 51 preceding
        ) / avg(type_share) over (
            partition by product_type_no order by week_index
            range between unbounded preceding and current row
        ) as type_season_index
    from type_weeks

),

final as (

    select
        ---------- ids
        articles.article_key,
        as_of_weeks.week_index as as_of_week_index,
        articles.index_group_no,
        articles.product_type_no,
        articles.graphical_appearance_no,
        articles.colour_group_code,

        ---------- strings
        articles.product_type_name,
        articles.graphical_appearance_name,
        articles.colour_group_name,
        articles.department_name,

        ---------- numerics
        {% for k in [1, 2, 4, 12] %}
        coalesce(sales.units_{{ k }}w, 0) as units_{{ k }}w,
        {% endfor %}
        coalesce(sales.buyers_1w, 0) as buyers_1w,
        coalesce(sales.units_total, 0) as units_total,
        coalesce(sales.units_1w, 0) * cast(4 as double)
        / (coalesce(sales.units_4w, 0) + 1) as trend_1w_vs_4w,
        as_of_weeks.week_index - sales.first_sale_week_index
            as weeks_since_launch,
        as_of_weeks.week_index - sales.last_sale_week_index
            as weeks_since_last_sale,
        sales.mean_price,
        sales.mean_price / sales.type_mean_price as price_vs_product_type,
        seasonality.type_season_index,

        ---------- booleans
        sales.article_key is not null as has_sales,

        ---------- dates
        as_of_weeks.week_start_date as as_of_week_start_date

    from articles
    cross join as_of_weeks
    left join sales
        on articles.article_key = sales.article_key
        and as_of_weeks.week_index = sales.as_of_week_index
    left join seasonality
        on articles.product_type_no = seasonality.product_type_no
        and as_of_weeks.week_index = seasonality.as_of_week_index

)

select * from final
