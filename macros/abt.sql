{#- The analytical base table of one or more ml splits: every candidate of
    the split's customer-weeks with its source ranks, the customer, article
    and customer x article features as of the week, colour/pattern matches
    with the customer's favourites, and the label (bought that week). The
    abt_train, abt_valid and abt_predict models are this macro. -#}
{% macro hm_abt(splits, negatives_per_query=none) -%}
with

customer_weeks as (

    select * from {{ ref('abt_customer_weeks') }}
    where ml_split in ('{{ splits | join("', '") }}')

),

candidates as (

    select * from {{ ref('cand_union') }}

),

customer_features as (

    select * from {{ ref('feat_customer_weekly') }}

),

article_features as (

    select * from {{ ref('feat_article_weekly') }}

),

customer_article as (

    select * from {{ ref('feat_customer_article_weekly') }}

),

age_popularity as (

    select * from {{ ref('feat_article_age_bucket_weekly') }}

),

labels as (

    select distinct customer_id, article_id, week_index
    from {{ ref('fct_transactions') }}
    where week_index < 0

),

-- the split's candidates with their label, before any feature is joined:
-- the training sample is drawn on these narrow rows, so the wide joins
-- below only see the rows that are kept
labelled as (

    select
        candidates.*,
        customer_weeks.ml_split,
        customer_weeks.age_bucket,
        case when labels.article_id is not null then 1 else 0 end as label
    from customer_weeks
    inner join candidates
        on customer_weeks.customer_id = candidates.customer_id
        and customer_weeks.week_index = candidates.week_index
    left join labels
        on candidates.customer_id = labels.customer_id
        and candidates.article_id = labels.article_id
        and candidates.week_index = labels.week_index

),
{% if negatives_per_query is not none %}

sampled as (

    -- training rows: queries with at least one bought candidate, all their
    -- positives and a deterministic sample of their negatives
    select
        labelled.*,
        max(label) over (
            partition by customer_id, week_index
        ) as query_has_positive,
        row_number() over (
            partition by customer_id, week_index, label
            order by {{ dbt.hash(dbt.concat(['customer_id', 'article_id'])) }}
        ) as row_in_label
    from labelled

),

kept as (

    select * from sampled
    where query_has_positive = 1
        and (label = 1 or row_in_label <= {{ negatives_per_query }})

),
{% else %}

kept as (

    select * from labelled

),
{% endif %}

final as (

    select
        ---------- ids
        candidates.customer_id,
        candidates.week_index,
        candidates.article_id,
        candidates.ml_split,

        ---------- candidate sources
        {% for source in hm_candidate_sources() %}
        candidates.rank_{{ source }},
        candidates.score_{{ source }},
        {% endfor %}
        candidates.n_sources,
        candidates.best_rank,

        ---------- customer
        customer_features.age,
        customer_features.days_since_last_purchase,
        customer_features.n_units as customer_units,
        customer_features.n_units_1w as customer_units_1w,
        customer_features.n_units_4w as customer_units_4w,
        customer_features.n_units_12w as customer_units_12w,
        customer_features.n_active_weeks as customer_active_weeks,
        customer_features.n_distinct_articles as customer_distinct_articles,
        customer_features.spend_4w as customer_spend_4w,
        customer_features.mean_price as customer_mean_price,
        customer_features.online_share as customer_online_share,
        customer_features.share_ladieswear,
        customer_features.share_divided,
        customer_features.share_menswear,
        customer_features.share_sport,
        customer_features.share_baby_children,
        customer_features.favourite_colour_group_share,
        customer_features.favourite_pattern_share,
        customer_features.favourite_product_type_share,

        ---------- article
        article_features.units_1w,
        article_features.units_2w,
        article_features.units_4w,
        article_features.units_12w,
        article_features.buyers_1w,
        article_features.units_total,
        article_features.trend_1w_vs_4w,
        article_features.weeks_since_launch,
        article_features.weeks_since_last_sale,
        article_features.mean_price as article_mean_price,
        article_features.price_vs_product_type,
        article_features.type_season_index,
        age_popularity.bucket_units_1w as age_bucket_units_1w,
        age_popularity.bucket_rank_1w as age_bucket_rank_1w,
        article_features.index_group_no,
        article_features.product_type_no,
        article_features.graphical_appearance_no,
        article_features.colour_group_code,

        ---------- customer x article
        coalesce(customer_article.article_units, 0) as ca_article_units,
        customer_article.weeks_since_article_purchase
            as ca_weeks_since_article,
        customer_article.product_units as ca_product_units,
        customer_article.weeks_since_product_purchase
            as ca_weeks_since_product,
        case
            when article_features.colour_group_name
                = customer_features.favourite_colour_group then 1 else 0
        end as is_favourite_colour,
        case
            when article_features.graphical_appearance_name
                = customer_features.favourite_pattern then 1 else 0
        end as is_favourite_pattern,
        case
            when article_features.product_type_name
                = customer_features.favourite_product_type then 1 else 0
        end as is_favourite_product_type,
        article_features.mean_price / customer_features.mean_price
            as price_vs_customer,
        -- the customer's share of earlier units in the article's colour,
        -- pattern, product type and department when it is one of their three
        -- most bought (0 otherwise)
        {{ hm_favourite_share(
            'colour_group', 'article_features.colour_group_name'
        ) }} as colour_affinity,
        {{ hm_favourite_share(
            'pattern', 'article_features.graphical_appearance_name'
        ) }} as pattern_affinity,
        {{ hm_favourite_share(
            'product_type', 'article_features.product_type_name'
        ) }} as product_type_affinity,
        {{ hm_favourite_share(
            'department', 'article_features.department_name'
        ) }} as department_affinity,

        ---------- label
        candidates.label

    from kept as candidates
    left join customer_features
        on candidates.customer_id = customer_features.customer_id
        and candidates.week_index = customer_features.as_of_week_index
    left join article_features
        on candidates.article_id = article_features.article_id
        and candidates.week_index = article_features.as_of_week_index
    left join customer_article
        on candidates.customer_id = customer_article.customer_id
        and candidates.article_id = customer_article.article_id
        and candidates.week_index = customer_article.as_of_week_index
    left join age_popularity
        on candidates.article_id = age_popularity.article_id
        and candidates.age_bucket = age_popularity.age_bucket
        and candidates.week_index = age_popularity.as_of_week_index

)

select * from final
{%- endmacro %}



{#- hm_abt: the customer's share of earlier units in `value` when it is
    one of their three most bought values of attribute `name`
    (feat_customer_weekly's favourite_<name>[_2|_3]), else 0. -#}
{% macro hm_favourite_share(name, value) -%}
    case {{ value }}
        when customer_features.favourite_{{ name }}
            then customer_features.favourite_{{ name }}_share
        when customer_features.favourite_{{ name }}_2
            then customer_features.favourite_{{ name }}_2_share
        when customer_features.favourite_{{ name }}_3
            then customer_features.favourite_{{ name }}_3_share
        else 0
    end
{%- endmacro %}
