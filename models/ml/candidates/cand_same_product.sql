{#- Candidate source "same_product": other colours of the products the
    customer bought recently, the best-selling colours first. -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

bought as (

    select * from {{ ref('feat_customer_article_weekly') }}
    where weeks_since_product_purchase
        <= {{ var('same_product_lookback_weeks') }}

),

articles as (

    select
        article_key,
        product_code
    from {{ ref('dim_articles') }}

),

article_sales as (

    select
        article_key,
        as_of_week_index,
        units_4w
    from {{ ref('feat_article_weekly') }}

),

products as (

    select distinct
        customer_key,
        as_of_week_index,
        product_code,
        weeks_since_product_purchase
    from bought

),

siblings as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        articles.article_key,
        max(
            (1 + coalesce(article_sales.units_4w, 0))
            / (cast(1 as double) + products.weeks_since_product_purchase)
        ) as score
    from customer_weeks
    inner join products
        on customer_weeks.customer_key = products.customer_key
        and customer_weeks.week_index = products.as_of_week_index
    inner join articles on products.product_code = articles.product_code
    left join article_sales
        on articles.article_key = article_sales.article_key
        and customer_weeks.week_index = article_sales.as_of_week_index
    where not exists (
            select 1 as already_bought from bought
            where bought.customer_key = customer_weeks.customer_key
                and bought.as_of_week_index = customer_weeks.week_index
                and bought.article_key = articles.article_key
        )
    group by
        customer_weeks.customer_key, customer_weeks.week_index,
        articles.article_key

),

final as (
    {{ hm_candidate_ranks('siblings', 'same_product', var('same_product_n')) }}
)

select * from final
