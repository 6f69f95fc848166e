{#-
    The simple baselines every quality claim is measured against, defined
    once. The warehouse's eval_strategy_predictions and the generator's
    difficulty figures (`hm-warehouse generate`, hm_warehouse.baselines)
    render these same macros, so a figure printed by the generator and the
    warehouse's row of the same name come from one piece of SQL.

    Plain SQL only (no ref, var, dispatch or other dbt context): the
    generator renders this file with plain Jinja. Float sums are rounded to
    9 decimals: their last bits depend on the order parallel threads add
    rows in, and a flipped tie would change a list. Every macro reads

    - `purchases`: one row per unit bought, with customer_key, article_key,
      product_code, week_index (0 = the prediction week) and day_index (days
      from the first day of the prediction week, negative in the data);
    - `targets`: the (customer_key, week_index) pairs to make lists for,

    - `settings`: the dbt vars they read (eval_k, n_train_weeks,
      baseline_recent_lookback_weeks, rebuy_*): hm_baseline_settings() in
      dbt, the parsed dbt_project.yml vars in Python,

    and returns (customer_key, week_index, article_key, list_rank), the first
    eval_k of each target's list, best first, ties broken by article_key.
-#}


{#- The `k` articles with the most units sold in the week before each
    week of `weeks` (a relation with a week_index column):
    (week_index, article_key, units, popular_rank). -#}
{% macro hm_popular_articles(purchases, weeks, k) -%}
    select
        week_index,
        article_key,
        units,
        popular_rank
    from (
        select
            sold.week_index,
            sold.article_key,
            sold.units,
            row_number() over (
                partition by sold.week_index
                order by sold.units desc, sold.article_key asc
            ) as popular_rank
        from (
            select
                purchases.week_index + 1 as week_index,
                purchases.article_key,
                count(*) as units
            from {{ purchases }} as purchases
            where purchases.week_index + 1 in (
                select weeks.week_index from {{ weeks }} as weeks
            )
            group by purchases.week_index + 1, purchases.article_key
        ) as sold
    ) as ranked
    where popular_rank <= {{ k }}
{%- endmacro %}


{#- popular_last_week: the 12 best sellers of the week before, for
    everyone (the public 0.0056-0.0071 baseline). -#}
{% macro hm_baseline_popular_last_week(purchases, targets, settings) -%}
    {%- set k = settings['eval_k'] %}
    select
        targets.customer_key,
        targets.week_index,
        popular.article_key,
        popular.popular_rank as list_rank
    from {{ targets }} as targets
    inner join (
        {{ hm_popular_articles(
            purchases,
            '(select distinct week_index from ' ~ targets ~ ')', k
        ) }}
    ) as popular
        on targets.week_index = popular.week_index
{%- endmacro %}


{#- The customer's distinct articles bought before the week (within the
    last `lookback_weeks` weeks, or the whole history when none), the most
    recently bought first, then the one bought in more units; then the
    popular list of the week before; the first `k`. own_then_popular is the
    public notebooks' 0.020-0.021 ("last purchases, then best sellers"). -#}
{% macro hm_baseline_own_then_popular(
    purchases, targets, settings, lookback_weeks=none
) -%}
    {%- set k = settings['eval_k'] %}
    select
        customer_key,
        week_index,
        article_key,
        list_rank
    from (
        select
            customer_key,
            week_index,
            article_key,
            row_number() over (
                partition by customer_key, week_index
                order by min(tier) asc, min(tier_rank) asc, article_key asc
            ) as list_rank
        from (
            select
                customer_key,
                week_index,
                article_key,
                1 as tier,
                row_number() over (
                    partition by customer_key, week_index
                    order by
                        last_day_index desc, units desc, article_key asc
                ) as tier_rank
            from (
                select
                    targets.customer_key,
                    targets.week_index,
                    purchases.article_key,
                    max(purchases.day_index) as last_day_index,
                    count(*) as units
                from {{ targets }} as targets
                inner join {{ purchases }} as purchases
                    on targets.customer_key = purchases.customer_key
                    and purchases.week_index < targets.week_index
                    {% if lookback_weeks is not none -%}
                    and purchases.week_index
                    >= targets.week_index - {{ lookback_weeks }}
                    {%- endif %}
                group by
                    targets.customer_key, targets.week_index,
                    purchases.article_key
            ) as own
            union all
            select
                customer_key,
                week_index,
                article_key,
                2 as tier,
                list_rank as tier_rank
            from (
                {{ hm_baseline_popular_last_week(purchases, targets, settings) }}
            ) as popular
        ) as both_lists
        group by customer_key, week_index, article_key
    ) as merged
    where list_rank <= {{ k }}
{%- endmacro %}


{#- rebuy_decay_trending: the public "time-decayed re-buys + trending
    popularity" family (0.0216-0.0231 on the real leaderboard), in two
    steps: hm_rebuy_decay_candidates scores every candidate,
    hm_baseline_rebuy_decay_trending chooses the weights and ranks. A
    candidate's score is

        rebuy + product_weight * sibling + trend_weight * trend

    - rebuy: sum over the customer's earlier units of the article of
      exp(-days before the week / decay_days), for each of `decay_days`
      (columns rebuy_1, rebuy_2, ...);
    - sibling: the rebuy sums of the customer's other colours of the
      article's product, for articles of that product sold in the week
      before (sibling_1, ...);
    - trend: the article's units of the `rebuy_trend_weeks` weeks before, each
      weighted exp(-days before the week / 7), divided by the week's best
      article's (so the best seller scores 1).

    Candidates: the customer's `rebuy_own_n` most recently bought articles,
    the other colours of their products sold the week before and the eval_k
    most trending articles, for the targets (is_tuning = 0) and for every
    buyer of the tuning weeks (is_tuning = 1): the n_train_weeks training
    weeks, never the validation or prediction week. -#}
{% macro hm_rebuy_decay_candidates(purchases, targets, settings) -%}
    {%- set k = settings['eval_k'] %}
    {%- set tuning_weeks = range(-1 - settings['n_train_weeks'], -1) | list %}
    {%- set taus = settings['rebuy_decay_grid']['decay_days'] %}
    {%- set trend_weeks = settings['rebuy_trend_weeks'] %}
    {%- set own_n = settings['rebuy_own_n'] %}
    with

    tuning_targets as (
        -- a deterministic sample of at most rebuy_tuning_sample buyers of
        -- the tuning weeks (by a hash of the customer and week), so the
        -- tuning costs the same at any scale
        select customer_key, week_index
        from (
            select
                customer_key,
                week_index,
                row_number() over (
                    order by md5(
                        cast(customer_key as string) || '-'
                        || cast(week_index as string)
                    )
                ) as draw
            from (
                select distinct customer_key, week_index
                from {{ purchases }}
                where week_index in ({{ tuning_weeks | join(', ') }})
            ) as buyers
        ) as drawn
        where draw <= {{ settings['rebuy_tuning_sample'] }}
    ),

    all_targets as (
        select customer_key, week_index, 0 as is_tuning from {{ targets }}
        union all
        select customer_key, week_index, 1 as is_tuning from tuning_targets
    ),

    target_weeks as (
        select distinct week_index from all_targets
    ),

    history as (
        -- every earlier unit of the target customers, with its age in days
        -- at the start of the target week
        select
            all_targets.customer_key,
            all_targets.week_index,
            all_targets.is_tuning,
            purchases.article_key,
            purchases.product_code,
            cast(
                7 * all_targets.week_index - purchases.day_index as double
            ) as days_before
        from all_targets
        inner join {{ purchases }} as purchases
            on all_targets.customer_key = purchases.customer_key
            and purchases.week_index < all_targets.week_index
    ),

    last_week_articles as (
        select distinct
            purchases.week_index + 1 as week_index,
            purchases.product_code,
            purchases.article_key
        from {{ purchases }} as purchases
        inner join target_weeks
            on purchases.week_index + 1 = target_weeks.week_index
    ),

    trend as (
        select
            week_index,
            article_key,
            decayed / max(decayed) over (partition by week_index) as trend,
            row_number() over (
                partition by week_index order by decayed desc, article_key asc
            ) as trend_rank
        from (
            select
                target_weeks.week_index,
                purchases.article_key,
                round(sum(exp(
                    -cast(
                        7 * target_weeks.week_index - purchases.day_index
                        as double
                    ) / cast(7 as double)
                )), 9) as decayed
            from {{ purchases }} as purchases
            inner join target_weeks
                on purchases.week_index < target_weeks.week_index
                and purchases.week_index
                >= target_weeks.week_index - {{ trend_weeks }}
            group by target_weeks.week_index, purchases.article_key
        ) as decayed_units
    ),

    rebuys as (
        -- the customer's `own_n` most recently bought articles
        select * from (
            select
                *,
                row_number() over (
                    partition by customer_key, week_index, is_tuning
                    order by last_days_before asc, units desc, article_key asc
                ) as own_rank
            from (
                select
                    customer_key,
                    week_index,
                    is_tuning,
                    article_key,
                    min(product_code) as product_code,
                    {% for tau in taus %}
                    round(sum(exp(-days_before / {{ tau }}.0)), 9)
                        as rebuy_{{ loop.index }},
                    {% endfor %}
                    min(days_before) as last_days_before,
                    count(*) as units
                from history
                group by customer_key, week_index, is_tuning, article_key
            ) as bought
        ) as ranked
        where own_rank <= {{ own_n }}
    ),

    siblings as (
        -- other colours of those articles' products that sold last week
        select
            rebuys.customer_key,
            rebuys.week_index,
            rebuys.is_tuning,
            last_week_articles.article_key,
            {% for tau in taus %}
            round(sum(rebuys.rebuy_{{ loop.index }}), 9)
                as sibling_{{ loop.index }}{{ ',' if not loop.last }}
            {% endfor %}
        from rebuys
        inner join last_week_articles
            on rebuys.week_index = last_week_articles.week_index
            and rebuys.product_code = last_week_articles.product_code
            and rebuys.article_key != last_week_articles.article_key
        group by
            rebuys.customer_key, rebuys.week_index, rebuys.is_tuning,
            last_week_articles.article_key
    ),

    proposals as (
        -- each candidate's parts from the list that proposed it
        select
            customer_key, week_index, is_tuning, article_key,
            {% for tau in taus %}
            rebuy_{{ loop.index }},
            cast(null as double) as sibling_{{ loop.index }}{{ ',' if not loop.last }}
            {% endfor %}
        from rebuys
        union all
        select
            customer_key, week_index, is_tuning, article_key,
            {% for tau in taus %}
            cast(null as double) as rebuy_{{ loop.index }},
            sibling_{{ loop.index }}{{ ',' if not loop.last }}
            {% endfor %}
        from siblings
        union all
        select
            all_targets.customer_key, all_targets.week_index,
            all_targets.is_tuning, trend.article_key,
            {% for tau in taus %}
            cast(null as double) as rebuy_{{ loop.index }},
            cast(null as double) as sibling_{{ loop.index }}{{ ',' if not loop.last }}
            {% endfor %}
        from all_targets
        inner join trend
            on all_targets.week_index = trend.week_index
            and trend.trend_rank <= {{ k }}
    ),

    merged as (
        select
            customer_key,
            week_index,
            is_tuning,
            article_key,
            {% for tau in taus %}
            coalesce(max(rebuy_{{ loop.index }}), 0) as rebuy_{{ loop.index }},
            coalesce(max(sibling_{{ loop.index }}), 0)
                as sibling_{{ loop.index }}{{ ',' if not loop.last }}
            {% endfor %}
        from proposals
        group by customer_key, week_index, is_tuning, article_key
    )

    select
        merged.*,
        coalesce(trend.trend, 0) as trend
    from merged
    left join trend
        on merged.week_index = trend.week_index
        and merged.article_key = trend.article_key
{%- endmacro %}


{#- The weights of rebuy_decay_trending chosen on the tuning weeks (the
    training weeks, never the validation or prediction week) and applied to
    the targets: every combination of `grid` (var rebuy_decay_grid: its
    decay_days, product_weight and trend_weight lists) is scored by
    MAP@k over the tuning weeks' buyers (their purchases of the week are
    the labels), and the best (the first on ties) ranks the targets'
    candidates. `candidates` is hm_rebuy_decay_candidates' output. -#}
{% macro hm_baseline_rebuy_decay_trending(candidates, purchases, settings) -%}
    {%- set k = settings['eval_k'] %}
    {%- set tuning_weeks = range(-1 - settings['n_train_weeks'], -1) | list %}
    {%- set grid = settings['rebuy_decay_grid'] %}
    {%- set points = [] %}
    {%- for tau in grid['decay_days'] %}
    {%- set tau_no = loop.index %}
    {%- for product_weight in grid['product_weight'] %}
    {%- for trend_weight in grid['trend_weight'] %}
    {%- do points.append((tau_no, product_weight, trend_weight)) %}
    {%- endfor %}
    {%- endfor %}
    {%- endfor %}
    with

    tuning_labels as (
        select distinct customer_key, week_index, article_key
        from {{ purchases }}
        where week_index in ({{ tuning_weeks | join(', ') }})
    ),

    weights as (
        -- the grid, numbered in order (ties go to the first point)
        select * from (values
            {% for tau_no, product_weight, trend_weight in points %}
            ({{ loop.index }}, {{ tau_no }}, {{ product_weight }},
                {{ trend_weight }}){{ ',' if not loop.last }}
            {% endfor %}
        ) as grid (grid_point, tau_no, product_weight, trend_weight)
    ),

    tuning_ranked as (
        -- every grid point's lists for the tuning sample
        select * from (
            select
                weights.grid_point,
                candidates.customer_key,
                candidates.week_index,
                candidates.article_key,
                row_number() over (
                    partition by
                        weights.grid_point, candidates.customer_key,
                        candidates.week_index
                    order by
                        {{ hm_rebuy_decay_score('candidates', 'weights', grid) }}
                        desc,
                        candidates.article_key asc
                ) as list_rank
            from {{ candidates }} as candidates
            cross join weights
            where candidates.is_tuning = 1
        ) as numbered
        where list_rank <= {{ k }}
    ),

    tuning_lists as (
        select
            grid_point as strategy,
            customer_key,
            week_index,
            article_key,
            list_rank as prediction_rank
        from tuning_ranked
    ),

    tuning_metrics as (
        -- each grid point scored as a strategy of its own
        {{ hm_customer_ranking_metrics('tuning_lists', 'tuning_labels', k) }}
    ),

    best_point as (
        select grid_point from (
            select
                strategy as grid_point,
                row_number() over (
                    order by
                        {{ hm_exact_mean('average_precision') }} desc,
                        strategy asc
                ) as point_rank
            from tuning_metrics
            group by strategy
        ) as ranked_points
        where point_rank = 1
    ),

    chosen as (
        select weights.*
        from weights
        inner join best_point on weights.grid_point = best_point.grid_point
    )

    select
        customer_key,
        week_index,
        article_key,
        list_rank
    from (
        select
            candidates.customer_key,
            candidates.week_index,
            candidates.article_key,
            row_number() over (
                partition by candidates.customer_key, candidates.week_index
                order by
                    {{ hm_rebuy_decay_score('candidates', 'chosen', grid) }} desc,
                    candidates.article_key asc
            ) as list_rank
        from {{ candidates }} as candidates
        cross join chosen
        where candidates.is_tuning = 0
    ) as ranked
    where list_rank <= {{ k }}
{%- endmacro %}


{#- The score of a rebuy_decay_trending candidate under a row of weights
    (grid_point, tau_no, product_weight, trend_weight). -#}
{% macro hm_rebuy_decay_score(candidates, weights, grid) -%}
    case {{ weights }}.tau_no
        {% for tau in grid['decay_days'] -%}
        when {{ loop.index }} then {{ candidates }}.rebuy_{{ loop.index }}
            + {{ weights }}.product_weight * {{ candidates }}.sibling_{{ loop.index }}
        {% endfor -%}
    end + {{ weights }}.trend_weight * {{ candidates }}.trend
{%- endmacro %}
