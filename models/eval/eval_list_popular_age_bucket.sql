{#- Strategy popular_age_bucket: the best sellers of the week before in the
    customer's age bucket (the popular_age candidate source's order). -#}
{{ hm_eval_list_from('cand_popular_age', 'source_rank') }}
