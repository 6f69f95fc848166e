{#- Strategy ranker: the LightGBM ranker's best 12 of the customer's
    candidates (model valid on the validation week, final on the
    prediction week). -#}
{{ hm_eval_list_from('ranker_scores', 'rank') }}
