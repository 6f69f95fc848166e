{#- Strategy popular_last_week: the 12 best sellers of the week before, for
    every scored customer (macro hm_baseline_popular_last_week, the same SQL
    as the generator's figure of that name). -#}
{{ hm_eval_baseline_list('popular_last_week') }}
