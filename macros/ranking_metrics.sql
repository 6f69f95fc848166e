{#- Per (strategy, customer, week): average precision at k exactly as the
    competition scores it (hits' precision summed over ranks 1..k, divided
    by min(number of distinct articles bought, k)), hits, recall@k,
    precision@k and hit@k. `predictions`: strategy, customer_key, week_index,
    article_key, prediction_rank (1..k, distinct articles). `labels`:
    customer_key, week_index, article_key (distinct). Every labelled customer
    is scored for every strategy; no prediction scores 0. -#}
{% macro hm_customer_ranking_metrics(predictions, labels, k=12) -%}
    with

    truth as (
        select customer_key, week_index, count(*) as n_bought
        from {{ labels }}
        group by customer_key, week_index
    ),

    strategies as (
        select distinct strategy, week_index from {{ predictions }}
    ),

    scored as (
        select
            strategies.strategy,
            truth.customer_key,
            truth.week_index,
            truth.n_bought
        from truth
        inner join strategies on truth.week_index = strategies.week_index
    ),

    hits as (
        select
            predictions.strategy,
            predictions.customer_key,
            predictions.week_index,
            predictions.prediction_rank,
            sum(case when labels.article_key is not null then 1 else 0 end)
                over (
                    partition by predictions.strategy,
                        predictions.customer_key, predictions.week_index
                    order by predictions.prediction_rank
                    rows between unbounded preceding and current row
                ) as hits_so_far,
            case when labels.article_key is not null then 1 else 0 end as is_hit
        from {{ predictions }} as predictions
        left join {{ labels }} as labels
            on predictions.customer_key = labels.customer_key
            and predictions.week_index = labels.week_index
            and predictions.article_key = labels.article_key
        where predictions.prediction_rank <= {{ k }}
    ),

    per_customer as (
        select
            strategy,
            customer_key,
            week_index,
            sum(
                case when is_hit = 1
                    then hits_so_far * cast(1 as double) / prediction_rank else 0 end
            ) as precision_sum,
            cast(sum(is_hit) as bigint) as n_hits
        from hits
        group by strategy, customer_key, week_index
    )

    select
        scored.strategy,
        scored.customer_key,
        scored.week_index,
        scored.n_bought,
        coalesce(per_customer.n_hits, 0) as n_hits,
        coalesce(per_customer.precision_sum, 0)
        / least(scored.n_bought, {{ k }}) as average_precision,
        coalesce(per_customer.n_hits, 0) * cast(1 as double) / scored.n_bought as recall,
        coalesce(per_customer.n_hits, 0) * cast(1 as double) / {{ k }} as precision,
        case when coalesce(per_customer.n_hits, 0) > 0 then 1 else 0 end
            as is_hit
    from scored
    left join per_customer
        on scored.strategy = per_customer.strategy
        and scored.customer_key = per_customer.customer_key
        and scored.week_index = per_customer.week_index
{%- endmacro %}


{#- The mean of a per-customer metric, summed exactly: a double sum depends
    on the order parallel threads add rows in, and the strategy figures must
    reproduce to the last digit (and agree with the generator's, which run
    this same SQL). -#}
{% macro hm_exact_mean(column) -%}
    cast(avg(cast({{ column }} as decimal(38, 18))) as double)
{%- endmacro %}
