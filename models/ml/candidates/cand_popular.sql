{#- Candidate source "popular": the articles sold most in the week before
    the target week, the same list for every customer (the
    popular_last_week baseline's list, macro hm_popular_articles, at
    var('popular_n') articles). -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

transactions as (

    select * from {{ ref('fct_transactions') }}

),

target_weeks as (

    select distinct week_index from customer_weeks

),

top_articles as (

    {{ hm_popular_articles('transactions', 'target_weeks', var('popular_n')) }}

),

final as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        top_articles.article_key,
        'popular' as source,
        top_articles.units * cast(1 as double) as score,
        top_articles.popular_rank as source_rank
    from customer_weeks
    inner join top_articles
        on customer_weeks.week_index = top_articles.week_index

)

select * from final
