{#- Strategy own_recent_then_popular: as own_then_popular, with only the
    last var('baseline_recent_lookback_weeks') weeks of the customer's
    history (macro hm_baseline_own_then_popular). -#}
{{ hm_eval_baseline_list(
    'own_then_popular', var('baseline_recent_lookback_weeks')
) }}
