{#- The availability model's rows (feat_article_availability): per week,
    from availability_train_weeks weeks before the first target week to
    the last one, every article that sold in the 12 weeks before it, with
    its lifecycle as of the week (from earlier weeks only) and whether it
    sold that week (null in the prediction week). -#}
{%- set first = hm_first_target_week_index() %}
with

article_weeks as (

    select * from {{ ref('fct_article_weeks') }}

),

articles as (

    select
        article_key,
        product_type_no
    from {{ ref('dim_articles') }}

),

weeks as (

    select
        dim_weeks.week_index,
        dim_weeks.ml_split
    from {{ ref('dim_weeks') }} as dim_weeks
    where
        dim_weeks.week_index
        >= {{ first }}
        - {{ var('availability_train_weeks') }}
        and dim_weeks.week_index
        <= 0

),

launches as (

    select
        article_key,
        min(week_index) as first_sale_week_index
    from article_weeks
    group by article_key

),

type_weeks as (

    select
        articles.product_type_no,
        article_weeks.week_index,
        sum(article_weeks.n_units) as type_units
    from article_weeks
    inner join articles on article_weeks.article_key = articles.article_key
    group by articles.product_type_no, article_weeks.week_index

),

recent as (

    -- the 12 weeks before the week and the week itself (its label)
    select
        weeks.week_index as as_of_week_index,
        weeks.ml_split,
        article_weeks.article_key,
        {% for k in [1, 2, 4, 12] %}
        cast(
            sum(
                case
                    when
                        article_weeks.week_index >= weeks.week_index - {{ k }}
                        and article_weeks.week_index < weeks.week_index
                        then article_weeks.n_units
                    else 0
                end
            ) as bigint
        ) as units_{{ k }}w,
        {% endfor %}
        weeks.week_index - max(
            case
                when article_weeks.week_index < weeks.week_index
                    then article_weeks.week_index
            end
        ) as weeks_since_last_sale,
        count(
            case
                when article_weeks.week_index < weeks.week_index then 1
            end
        ) as active_weeks_12w,
        max(
            case
                when article_weeks.week_index = weeks.week_index then 1 else 0
            end
        ) as sold_this_week
    from article_weeks
    inner join weeks
        on article_weeks.week_index <= weeks.week_index
        and article_weeks.week_index >= weeks.week_index - 12
    group by weeks.week_index, weeks.ml_split, article_weeks.article_key

),

season as (

    -- the product type a year earlier: its units in the same week over
    -- its units in the four weeks before that (the season's turn)
    select
        weeks.week_index as as_of_week_index,
        year_ago.product_type_no,
        max(
            case
                when year_ago.week_index = weeks.week_index - 52
                    then year_ago.type_units
            end
        ) * cast(4 as double) / nullif(
            sum(
                case
                    when year_ago.week_index < weeks.week_index - 52
                        then year_ago.type_units
                end
            ), 0
        ) as type_season_turn
    from weeks
    inner join type_weeks as year_ago
        on year_ago.week_index between weeks.week_index - 56
        and weeks.week_index - 52
    group by weeks.week_index, year_ago.product_type_no

),

final as (

    select
        ---------- ids
        recent.article_key,
        recent.as_of_week_index,

        ---------- strings
        recent.ml_split,

        ---------- numerics
        recent.units_1w,
        recent.units_2w,
        recent.units_4w,
        recent.units_12w,
        cast(recent.units_1w as double) * 4 / (recent.units_4w + 1)
            as trend_1w_vs_4w,
        recent.weeks_since_last_sale,
        recent.active_weeks_12w,
        recent.as_of_week_index - launches.first_sale_week_index
            as weeks_since_launch,
        season.type_season_turn,
        case
            when recent.ml_split = 'predict' then null
            else recent.sold_this_week
        end as sold_in_week

    from recent
    inner join launches on recent.article_key = launches.article_key
    inner join articles on recent.article_key = articles.article_key
    left join season
        on recent.as_of_week_index = season.as_of_week_index
        and articles.product_type_no = season.product_type_no
    -- only articles with a sale before the week (not just in it)
    where recent.active_weeks_12w > 0

)

select * from final
