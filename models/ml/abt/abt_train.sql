{#- ABT of the training weeks: queries with a bought candidate, all
    positives and up to var('train_negatives_per_query') negatives each. -#}
{{ hm_abt(['train'], negatives_per_query=var('train_negatives_per_query')) }}
