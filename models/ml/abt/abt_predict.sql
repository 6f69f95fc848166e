{#- ABT of the predict split (see macro hm_abt). -#}
{{ hm_abt(['predict']) }}
