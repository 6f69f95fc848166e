{#- Candidate source "pairs": articles bought together (same customer, same
    day) with the customer's recent purchases, mined from the baskets of the
    lookback window before the target week. -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

weeks as (

    select week_index
    from {{ ref('dim_weeks') }}
    where ml_split is not null

),

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

recent as (

    select * from {{ ref('feat_customer_article_weekly') }}
    where weeks_since_article_purchase <= 4

),

first_week as (

    select min(week_index) - {{ var('pairs_lookback_weeks') }} as week_index
    from weeks

),

basket_items as (

    select distinct
        transactions.week_index,
        transactions.customer_key,
        transactions.transaction_date,
        transactions.article_key
    from transactions
    where
        transactions.week_index >= (
            select first_week.week_index from first_week
        )

),

small_baskets as (

    -- very large baskets say little about which pieces go together
    select
        week_index,
        customer_key,
        transaction_date
    from basket_items
    group by week_index, customer_key, transaction_date
    having count(*) <= 20

),

weekly_pairs as (

    -- pair counts per calendar week, computed once
    select
        left_item.week_index,
        left_item.article_key,
        right_item.article_key as paired_article_key,
        count(*) as n_baskets
    from basket_items as left_item
    inner join small_baskets
        on left_item.week_index = small_baskets.week_index
        and left_item.customer_key = small_baskets.customer_key
        and left_item.transaction_date = small_baskets.transaction_date
    inner join basket_items as right_item
        on left_item.week_index = right_item.week_index
        and left_item.customer_key = right_item.customer_key
        and left_item.transaction_date = right_item.transaction_date
        and left_item.article_key != right_item.article_key
    group by
        left_item.week_index, left_item.article_key,
        right_item.article_key

),

window_pair_counts as (

    -- summed over the lookback window of each target week
    select
        weeks.week_index as as_of_week_index,
        weekly_pairs.article_key,
        weekly_pairs.paired_article_key,
        sum(weekly_pairs.n_baskets) as n_baskets
    from weekly_pairs
    inner join weeks
        on weekly_pairs.week_index < weeks.week_index
        and weekly_pairs.week_index
        >= weeks.week_index - {{ var('pairs_lookback_weeks') }}
    group by
        weeks.week_index, weekly_pairs.article_key,
        weekly_pairs.paired_article_key
    having sum(weekly_pairs.n_baskets) >= 2

),

pair_counts as (

    -- each article keeps its strongest partners only: without the cap the
    -- join below multiplies every recent purchase of every customer by all
    -- partners of the article (hundreds at full scale) and spilled more
    -- than the free disk (ranked over the sums, not in the aggregation's
    -- own qualify: Spark resolves no aggregate there)
    select * from window_pair_counts
    qualify
        row_number() over (
            partition by as_of_week_index, article_key
            order by n_baskets desc, paired_article_key asc
        ) <= {{ var('pairs_per_article') }}

),

scored as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        pair_counts.paired_article_key as article_key,
        -- rounded: a float sum depends on the order of its terms (the
        -- physical layout of the whole table), so equal scores could differ
        -- in the last bit and their ranks flip; rounded, ties are exact and
        -- go to the smaller article_key
        round(sum(
            pair_counts.n_baskets * cast(1 as double)
            / (1 + recent.weeks_since_article_purchase)
        ), 9) as score
    from customer_weeks
    inner join recent
        on customer_weeks.customer_key = recent.customer_key
        and customer_weeks.week_index = recent.as_of_week_index
    inner join pair_counts
        on recent.article_key = pair_counts.article_key
        and recent.as_of_week_index = pair_counts.as_of_week_index
    group by
        customer_weeks.customer_key, customer_weeks.week_index,
        pair_counts.paired_article_key

),

final as (
    {{ hm_candidate_ranks('scored', 'pairs', var('pairs_n')) }}
)

select * from final
