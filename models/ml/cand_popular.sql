{#- Candidate source "popular": the articles sold most in the week before
    the target week, the same list for every customer. -#}
with

customer_weeks as (

    select * from {{ ref('abt_customer_weeks') }}

),

articles as (

    select * from {{ ref('feat_article_weekly') }}

),

top_articles as (

    {{ hm_top_k_per_group(
        '(select * from articles where units_1w > 0)', 'as_of_week_index',
        'units_1w desc, article_id', var('popular_n')
    ) }}

),

scored as (

    select
        customer_weeks.customer_id,
        customer_weeks.week_index,
        top_articles.article_id,
        top_articles.units_1w * 1.0 as score
    from customer_weeks
    inner join top_articles
        on customer_weeks.week_index = top_articles.as_of_week_index

),

final as (

    select
        customer_id,
        week_index,
        article_id,
        'popular' as source,
        score,
        row_number() over (
            partition by customer_id, week_index
            order by score desc, article_id asc
        ) as source_rank
    from scored

)

select * from final
