{#- The figures earlier analyses of the H&M data reported, in long format
    (one row per metric), computed on the marts: the data up to the cutoff
    (var cutoff_date). The README and the reports read this table. -#}
{%- set metrics = [
    ('n_customers', 'count', 'n_customers',
        'Customers in customers.csv (clean rows).'),
    ('n_customers_with_purchases', 'count', 'n_customers_with_purchases',
        'Customers with at least one transaction up to the cutoff.'),
    ('n_customers_without_purchases', 'count',
        'n_customers - n_customers_with_purchases',
        'Customers with no transaction up to the cutoff.'),
    ('share_customers_with_purchases', 'share',
        'n_customers_with_purchases * cast(1 as double) / n_customers',
        'Share of customers with at least one transaction.'),
    ('share_customers_without_purchases', 'share',
        '(n_customers - n_customers_with_purchases) * cast(1 as double) / n_customers',
        'Share of customers with no transaction.'),
    ('n_articles', 'count', 'n_articles',
        'Distinct articles in the catalogue (clean rows of articles.csv).'),
    ('n_articles_sold', 'count', 'n_articles_sold',
        'Distinct articles sold at least once up to the cutoff.'),
    ('share_articles_sold', 'share', 'n_articles_sold * cast(1 as double) / n_articles',
        'Share of the catalogue sold at least once.'),
    ('n_transaction_rows', 'count', 'n_transaction_rows',
        'Transaction rows (one row = one unit; identical rows are kept).'),
    ('mean_transactions_per_buyer', 'mean', 'mean_transactions_per_buyer',
        'Mean transaction rows per customer with a purchase.'),
    ('median_transactions_per_buyer', 'mean',
        'median_transactions_per_buyer',
        'Median transaction rows per customer with a purchase.'),
    ('first_transaction_date', 'date', 'first_transaction_date',
        'Date of the first transaction.'),
    ('last_transaction_date', 'date', 'last_transaction_date',
        'Date of the last transaction up to the cutoff.'),
    ('n_days', 'count', 'n_days',
        'Calendar days from the first to the last transaction date.'),
    ('n_weeks', 'count', 'n_weeks',
        'Weeks (Wednesday to Tuesday) with at least one transaction; the '
        ~ 'first may be partial.'),
    ('mean_transactions_per_week', 'mean', 'mean_transactions_per_week',
        'Mean transaction rows per week with data.'),
    ('median_transactions_per_week', 'mean', 'median_transactions_per_week',
        'Median transaction rows per week with data.'),
    ('min_transactions_per_week', 'count', 'min_transactions_per_week',
        'Fewest transaction rows in a week with data.'),
    ('max_transactions_per_week', 'count', 'max_transactions_per_week',
        'Most transaction rows in a week with data.'),
] -%}

with

customers as (

    select * from {{ ref('dim_customers') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

customer_weeks as (

    select * from {{ ref('fct_customer_weeks') }}

),

customer_summary as (

    select
        count(*) as n_customers,
        sum(case when has_purchases then 1 else 0 end)
            as n_customers_with_purchases,
        sum(n_transactions) as n_transaction_rows,
        avg(case when has_purchases then n_transactions end)
            as mean_transactions_per_buyer,
        percentile_cont(0.5) within group (
            order by case when has_purchases then n_transactions end
        ) as median_transactions_per_buyer,
        min(first_purchase_date) as first_transaction_date,
        max(last_purchase_date) as last_transaction_date
    from customers

),

article_summary as (

    select
        count(*) as n_articles,
        sum(case when has_sales then 1 else 0 end) as n_articles_sold
    from articles

),

weekly_transactions as (

    -- weeks before the prediction week hold only data up to the cutoff
    select
        week_start_date,
        sum(n_units) as n_transaction_rows
    from customer_weeks
    where week_index < 0
    group by week_start_date

),

weekly_summary as (

    select
        count(*) as n_weeks,
        avg(n_transaction_rows) as mean_transactions_per_week,
        percentile_cont(0.5) within group (
            order by n_transaction_rows
        ) as median_transactions_per_week,
        min(n_transaction_rows) as min_transactions_per_week,
        max(n_transaction_rows) as max_transactions_per_week
    from weekly_transactions

),

summary as (

    select
        customer_summary.*,
        article_summary.*,
        weekly_summary.*,
        {{ dbt.datediff(
            'customer_summary.first_transaction_date',
            'customer_summary.last_transaction_date',
            'day'
        ) }} + 1 as n_days
    from customer_summary
    cross join article_summary
    cross join weekly_summary

),

metrics as (

    {% for metric, kind, expression, description in metrics %}
    select
        {{ loop.index }} as metric_order,
        '{{ metric }}' as metric,
        '{{ kind }}' as metric_kind,
        {% if kind == 'date' %}
        cast(null as double) as metric_value,
        {{ expression }} as metric_date,
        {% else %}
        cast({{ expression }} as double) as metric_value,
        cast(null as date) as metric_date,
        {% endif %}
        '{{ description }}' as description
    from summary
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        ---------- ids
        metric,

        ---------- strings
        metric_kind,
        case
            when metric_kind = 'date'
                then cast(metric_date as {{ dbt.type_string() }})
            when metric_kind = 'count'
                then cast(
                        cast(metric_value as {{ dbt.type_bigint() }})
                        as {{ dbt.type_string() }}
                    )
            when metric_kind = 'share'
                then cast(round(metric_value, 4) as {{ dbt.type_string() }})
            else cast(round(metric_value, 1) as {{ dbt.type_string() }})
        end as display_value,
        description,

        ---------- numerics
        metric_order,
        metric_value,

        ---------- dates
        metric_date

    from metrics

)

select * from final
