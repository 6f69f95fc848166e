{#- ABT of the valid split (see macro hm_abt). -#}
{{ hm_abt(['valid']) }}
