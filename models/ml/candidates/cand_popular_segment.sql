{#- Candidate source "popular_segment": the articles sold most in the week
    before to customers of the customer's segment (KMeans,
    feat_customer_segments; segment 0: customers without history before
    the first target week). The segment counterpart of popular_age. -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

transactions as (

    select * from {{ ref('fct_transactions') }}

),

segments as (

    select * from {{ ref('feat_customer_segments') }}

),

segment_units as (

    -- last week's units per segment and article (the buyer's segment as of
    -- the target week: one assignment serves every week)
    select
        segments.as_of_week_index,
        segments.customer_segment,
        transactions.article_key,
        count(*) as units
    from transactions
    inner join segments
        on transactions.customer_key = segments.customer_key
        and transactions.week_index = segments.as_of_week_index - 1
    group by
        segments.as_of_week_index, segments.customer_segment,
        transactions.article_key

),

ranked_segment_articles as (

    select
        as_of_week_index,
        customer_segment,
        article_key,
        units * cast(1 as double) / sum(units) over (
            partition by as_of_week_index, customer_segment
        ) as score,
        row_number() over (
            partition by as_of_week_index, customer_segment
            order by units desc, article_key asc
        ) as segment_rank
    from segment_units

),

segment_articles as (

    select * from ranked_segment_articles
    where segment_rank <= {{ var('popular_segment_n') }}

),

scored as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        segment_articles.article_key,
        segment_articles.score
    from customer_weeks
    inner join segments
        on customer_weeks.customer_key = segments.customer_key
        and customer_weeks.week_index = segments.as_of_week_index
    inner join segment_articles
        on segments.as_of_week_index = segment_articles.as_of_week_index
        and segments.customer_segment = segment_articles.customer_segment

),

final as (
    {{ hm_candidate_ranks(
        'scored', 'popular_segment', var('popular_segment_n')
    ) }}
)

select * from final
