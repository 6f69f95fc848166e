{#- The candidates of strategy rebuy_decay_trending with the parts of their
    score (macro hm_rebuy_decay_candidates): for the scored customer-weeks
    and for every buyer of the training weeks, where its weights are
    chosen. -#}
{{ hm_eval_baseline_list('rebuy_decay_candidates') }}
