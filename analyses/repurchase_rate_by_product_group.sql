{#- How often customers buy the same article again, per product group, up
    to the cutoff. A repurchase is the same article bought on a later day
    (identical rows of one day are units of one purchase, not a
    repurchase). Article rate: share of (customer, article) pairs bought
    on two or more days; buyer rate: share of the group's buyers with at
    least one repurchased article. -#}
with

transactions as (

    select * from {{ ref('fct_transactions') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

customer_articles as (

    select
        customer_key,
        article_key,
        count(distinct transaction_date) as n_purchase_days
    from transactions
    where transaction_date <= {{ hm_cutoff_date() }}
    group by customer_key, article_key

),

customer_groups as (

    select
        customer_articles.customer_key,
        coalesce(articles.product_group_name, 'unknown')
            as product_group_name,
        count(*) as n_articles,
        sum(
            case when customer_articles.n_purchase_days > 1 then 1 else 0 end
        ) as n_repurchased_articles
    from customer_articles
    inner join articles
        on customer_articles.article_key = articles.article_key
    group by
        customer_articles.customer_key,
        coalesce(articles.product_group_name, 'unknown')

),

by_group as (

    select
        product_group_name,
        count(*) as n_buyers,
        sum(
            case when n_repurchased_articles > 0 then 1 else 0 end
        ) as n_repurchasing_buyers,
        sum(n_articles) as n_customer_articles,
        sum(n_repurchased_articles) as n_repurchased_customer_articles
    from customer_groups
    group by product_group_name

),

final as (

    select
        ---------- ids
        product_group_name,

        ---------- numerics
        n_buyers,
        n_repurchasing_buyers,
        n_repurchasing_buyers * 1.0 / n_buyers as buyer_repurchase_rate,
        n_customer_articles,
        n_repurchased_customer_articles,
        n_repurchased_customer_articles * 1.0
        / n_customer_articles as article_repurchase_rate

    from by_group

)

select * from final
order by article_repurchase_rate desc, product_group_name asc
