{#- Strategy own_then_popular: the customer's distinct articles over the
    whole history, most recently bought first, then the popular list (macro
    hm_baseline_own_then_popular, the same SQL as the generator's figure of
    that name). -#}
{{ hm_eval_baseline_list('own_then_popular') }}
