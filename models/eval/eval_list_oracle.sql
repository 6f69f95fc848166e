{#- Strategy oracle: the generator's own 12 most likely articles per buyer
    of the hidden week (stg_hm__hidden_oracle; empty on real data). -#}
{{ hm_eval_list_from(
    'stg_hm__hidden_oracle', 'prediction_rank', week_index=0, keyed_by_id=true
) }}
