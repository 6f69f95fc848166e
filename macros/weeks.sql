{#-
    Week arithmetic, owned here and nowhere else.

    Weeks run Wednesday -> Tuesday in the competition because the data ends on
    a Tuesday (2020-09-22). The rule is general: weeks are anchored on the
    cutoff date (dbt var `cutoff_date`), so the prediction week always starts
    the day after the cutoff and the validation week is the last seven days
    of data, whatever weekday the cutoff is.

    - hm_cutoff_date(): the cutoff as a date literal
    - hm_prediction_week_start(): the day after the cutoff
    - hm_week_start(date): the first day of the week holding `date`
    - hm_day_index(date): days relative to the first day of the prediction
      week (0), negative in the data
    - hm_week_index(date): weeks relative to the prediction week
      (0 = prediction week, -1 = validation week, -2 the one before ...)
    - hm_week_start_from_index(i): the first day of week index i
-#}

{% macro hm_cutoff_date() -%}
    cast('{{ var("cutoff_date") }}' as date)
{%- endmacro %}

{% macro hm_prediction_week_start() -%}
    {{ dbt.dateadd('day', 1, hm_cutoff_date()) }}
{%- endmacro %}

{% macro hm_day_index(date_expr) -%}
    cast(
        {{ dbt.datediff(hm_prediction_week_start(), date_expr, 'day') }}
        as integer
    )
{%- endmacro %}

{% macro hm_week_index(date_expr) -%}
    cast(floor({{ hm_day_index(date_expr) }} / cast(7 as double)) as integer)
{%- endmacro %}

{% macro hm_week_start_from_index(index_expr) -%}
    cast({{ dbt.dateadd(
        'day', '7 * (' ~ index_expr ~ ')', hm_prediction_week_start()
    ) }} as date)
{%- endmacro %}

{% macro hm_week_start(date_expr) -%}
    {{ hm_week_start_from_index(hm_week_index(date_expr)) }}
{%- endmacro %}

{#- The first target week (the earliest training week): week -1 is the
    validation week, the n_train_weeks weeks before it are the training
    weeks, 0 the prediction week. dim_weeks' ml_split and the models that
    learn from weeks before every target week read it. -#}
{% macro hm_first_target_week_index() -%}
    {{ -1 - var('n_train_weeks') | int }}
{%- endmacro %}
