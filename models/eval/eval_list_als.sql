{#- Strategy als: implicit ALS alone, the first 12 of the als candidate
    source. -#}
{{ hm_eval_list_from('cand_als', 'source_rank') }}
