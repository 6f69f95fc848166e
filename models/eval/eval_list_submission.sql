{#- Strategy submission: the submission table's 12 articles, scored on the
    hidden (prediction) week. -#}
{{ hm_eval_list_from('submission_rows', 'prediction_rank', week_index=0) }}
