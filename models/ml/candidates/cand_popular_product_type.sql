{#- Candidate source "popular_product_type": last week's best sellers of
    the product types the customer buys most (their three favourite
    product types as of the week), by the customer's share of units in the
    type times the article's share of the type's units last week. -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

customers as (

    select * from {{ ref('feat_customer_weekly') }}

),

articles as (

    select * from {{ ref('feat_article_weekly') }}
    where units_1w > 0

),

customer_types as (

    {% for suffix in ['', '_2', '_3'] %}
    select
        customer_key,
        as_of_week_index,
        favourite_product_type{{ suffix }} as product_type_name,
        favourite_product_type{{ suffix }}_share as type_share
    from customers
    where favourite_product_type{{ suffix }} is not null
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

ranked_type_articles as (

    select
        article_key,
        as_of_week_index,
        product_type_name,
        units_1w * cast(1 as double) / sum(units_1w) over (
            partition by as_of_week_index, product_type_name
        ) as article_share,
        row_number() over (
            partition by as_of_week_index, product_type_name
            order by units_1w desc, article_key asc
        ) as type_rank
    from articles

),

type_articles as (

    select * from ranked_type_articles
    where type_rank <= {{ var('popular_product_type_n') }}

),

scored as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        type_articles.article_key,
        customer_types.type_share * type_articles.article_share as score
    from customer_weeks
    inner join customer_types
        on customer_weeks.customer_key = customer_types.customer_key
        and customer_weeks.week_index = customer_types.as_of_week_index
    inner join type_articles
        on customer_types.as_of_week_index = type_articles.as_of_week_index
        and customer_types.product_type_name = type_articles.product_type_name

),

final as (
    {{ hm_candidate_ranks(
        'scored', 'popular_product_type', var('popular_product_type_n')
    ) }}
)

select * from final
