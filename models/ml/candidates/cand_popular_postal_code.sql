{#- Candidate source "popular_postal_code": what customers of the same
    postal code bought in the popular_postal_code_lookback_weeks before the
    week, by units decayed with the weeks since (repurchase_decay_weeks).
    A code held by more than postal_code_max_customers customers is a
    placeholder (in the real file one code holds 120,303 customers, the
    next largest about 260) and is treated as unknown: no candidates. -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

transactions as (

    select * from {{ ref('fct_transactions') }}

),

customers as (

    select
        customer_key,
        postal_code
    from {{ ref('dim_customers') }}
    where postal_code is not null

),

known_codes as (

    select postal_code
    from customers
    group by postal_code
    having count(*) <= {{ var('postal_code_max_customers') }}

),

coded_customers as (

    select customers.*
    from customers
    inner join known_codes on customers.postal_code = known_codes.postal_code

),

as_of_weeks as (

    select week_index
    from {{ ref('dim_weeks') }}
    where ml_split is not null

),

code_articles as (

    select
        as_of_weeks.week_index as as_of_week_index,
        coded_customers.postal_code,
        transactions.article_key,
        sum(
            exp(
                (transactions.week_index - as_of_weeks.week_index + 1)
                / {{ var('repurchase_decay_weeks') }}
            )
        ) as score
    from transactions
    inner join as_of_weeks
        on transactions.week_index < as_of_weeks.week_index
        and transactions.week_index >= as_of_weeks.week_index
        - {{ var('popular_postal_code_lookback_weeks') }}
    inner join coded_customers
        on transactions.customer_key = coded_customers.customer_key
    group by
        as_of_weeks.week_index, coded_customers.postal_code,
        transactions.article_key

),

scored as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        code_articles.article_key,
        code_articles.score
    from customer_weeks
    inner join coded_customers
        on customer_weeks.customer_key = coded_customers.customer_key
    inner join code_articles
        on coded_customers.postal_code = code_articles.postal_code
        and customer_weeks.week_index = code_articles.as_of_week_index

),

final as (
    {{ hm_candidate_ranks(
        'scored', 'popular_postal_code', var('popular_postal_code_n')
    ) }}
)

select * from final
