{#- The analytical base table of one or more ml splits: every candidate of
    the split's customer-weeks with the columns of each feature family of
    the registry (seeds hm_feature_families, hm_feature_columns: the order
    of hm_feature_columns is the column order) and the label (bought that
    week). The candidates family is each source's rank and score (one pair
    per source of the union, hm_candidate_sources), the number of sources
    and the best rank. A family listed in var abt_disabled_feature_families
    keeps its join (others' expressions may read it) but loses its columns.
    The abt_train, abt_valid and abt_predict models are this macro. -#}
{% macro hm_abt(splits, negatives_per_query=none) -%}
{%- set families = hm_feature_families() %}
{%- set by_name = {} %}
{%- for family in families %}{% do by_name.update({family.family: family}) %}{% endfor %}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}
    where ml_split in ('{{ splits | join("', '") }}')

),

candidates as (

    select * from {{ ref(by_name['candidates'].model) }}

),
{% for family in families if family.model and family.family != 'candidates' %}

{{ family.family }}_features as (

    select * from {{ ref(family.model) }}

),
{% endfor %}

article_groups as (

    -- the article's product group: the propensity family's join key
    select
        article_key,
        product_group_name
    from {{ ref('dim_articles') }}

),

labels as (

    select distinct customer_key, article_key, week_index
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
        article_groups.product_group_name,
        case when labels.article_key is not null then 1 else 0 end as label
    from customer_weeks
    inner join candidates
        on customer_weeks.customer_key = candidates.customer_key
        and customer_weeks.week_index = candidates.week_index
    left join article_groups
        on candidates.article_key = article_groups.article_key
    left join labels
        on candidates.customer_key = labels.customer_key
        and candidates.article_key = labels.article_key
        and candidates.week_index = labels.week_index

),
{% if negatives_per_query is not none %}

sampled as (

    -- training rows: queries with at least one bought candidate, all their
    -- positives and a deterministic sample of their negatives
    select
        labelled.*,
        max(label) over (
            partition by customer_key, week_index
        ) as query_has_positive,
        row_number() over (
            partition by customer_key, week_index, label
            order by {{ dbt.hash(dbt.concat(['customer_key', "'-'", 'article_key'])) }}
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
        candidates.customer_key,
        candidates.week_index,
        candidates.article_key,
        candidates.ml_split,
        {% if by_name['candidates'].enabled %}

        ---------- family candidates
        {% for source in hm_candidate_sources() %}
        candidates.rank_{{ source }},
        candidates.score_{{ source }},
        {% endfor %}
        candidates.n_sources,
        candidates.best_rank,
        {% endif %}

        ---------- families of hm_feature_columns, in its order
        {% for column in hm_registry('hm_feature_columns')
            if by_name[column.family].enabled %}
        {{ hm_feature_expression(by_name[column.family], column) }}
            as {{ column.feature }},
        {% endfor %}

        ---------- label
        candidates.label

    from kept as candidates
    {% for family in families if family.model and family.family != 'candidates' %}
    left join {{ family.family }}_features as {{ family.family }}
        on candidates.week_index = {{ family.family }}.as_of_week_index
        {% for key in family['keys'] %}
        and candidates.{{ key }} = {{ family.family }}.{{ key }}
        {% endfor %}
    {% endfor %}

)

select * from final
{%- endmacro %}


{#- hm_abt: the SQL of one feature column of the registry: its
    `expression` (rendered: it may call macros) over the families' aliases,
    else the column of its family's model, a missing row filled with
    fill_value when one is given. -#}
{% macro hm_feature_expression(family, column) -%}
    {%- if column.expression != '' -%}
        {{ render(column.expression) }}
    {%- elif column.fill_value != '' -%}
        coalesce(
            {{ family.family }}.{{ column.source_column }}, {{ column.fill_value }}
        )
    {%- else -%}
        {{ family.family }}.{{ column.source_column }}
    {%- endif -%}
{%- endmacro %}


{#- Feature family taste_match (expressions in seed hm_feature_columns):
    1 when the article's `column` is the customer's favourite `name`. -#}
{% macro hm_is_favourite(name, column) -%}
    case
        when article.{{ column }} = customer.favourite_{{ name }} then 1 else 0
    end
{%- endmacro %}


{#- hm_abt: the customer's share of earlier units in `value` when it is
    one of their three most bought values of attribute `name`
    (feat_customer_weekly's favourite_<name>[_2|_3]), else 0. -#}
{% macro hm_favourite_share(name, value) -%}
    case {{ value }}
        when customer.favourite_{{ name }}
            then customer.favourite_{{ name }}_share
        when customer.favourite_{{ name }}_2
            then customer.favourite_{{ name }}_2_share
        when customer.favourite_{{ name }}_3
            then customer.favourite_{{ name }}_3_share
        else 0
    end
{%- endmacro %}
