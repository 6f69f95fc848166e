{#-
    A staging model's quarantine must not hide a broken file. Fails the
    build (an error naming the file, the counts and the most common reason)
    when the file gives no clean row, or when the rejected share exceeds var
    quarantine_max_rejected_share; warns, naming the same, above var
    quarantine_warn_rejected_share (the test then returns one row). `model`
    is the clean staging model, `rejected` its quarantine twin, `file` the
    source table name (transactions_train, ...).
-#}
{% test hm_quarantine_share(model, rejected, file) -%}
    {{ config(severity='warn') }}
    {%- set warn_share = var('quarantine_warn_rejected_share') -%}
    {#- at run time, and only once both tables exist (docs generate and
        compile on a fresh clone have none) -#}
    {%- if execute and load_relation(model) is not none
        and load_relation(rejected) is not none -%}
        {%- set counts = run_query(
            "select (select count(*) from " ~ model ~ "),"
            ~ " (select count(*) from " ~ rejected ~ ")"
        ).rows[0] -%}
        {%- set top = run_query(
            "select rejection_reason, count(*) from " ~ rejected
            ~ " group by rejection_reason order by count(*) desc,"
            ~ " rejection_reason limit 1"
        ).rows -%}
        {%- set clean, bad = counts[0], counts[1] -%}
        {%- set total = clean + bad -%}
        {%- set share = bad / total if total else 0 -%}
        {%- set path = hm_source_path('hm', file) -%}
        {%- set reason = (
            "; most common reason: '" ~ top[0][0] ~ "' (" ~ top[0][1] ~ " rows)"
        ) if top else '' -%}
        {%- set summary = (
            path ~ ": " ~ clean ~ " clean of " ~ total ~ " rows ("
            ~ (share * 100) | round(1) ~ "% quarantined in "
            ~ rejected.schema ~ "." ~ rejected.identifier
            ~ ")" ~ reason
        ) -%}
        {%- if total == 0 -%}
            {{ exceptions.raise_compiler_error(
                path ~ " has a header but no rows: nothing to stage"
            ) }}
        {%- elif clean == 0
            or share > var('quarantine_max_rejected_share') -%}
            {{ exceptions.raise_compiler_error(
                "too few usable rows in " ~ summary ~ ". The limit is var"
                ~ " quarantine_max_rejected_share = "
                ~ var('quarantine_max_rejected_share')
                ~ "; look at the rejected rows' raw_row for the format"
                ~ " (a date format other than YYYY-MM-DD, a wrong delimiter)"
            ) }}
        {%- elif share > warn_share -%}
            {%- do exceptions.warn(
                "many rows quarantined: " ~ summary ~ " (above var"
                ~ " quarantine_warn_rejected_share = " ~ warn_share ~ ")"
            ) -%}
        {%- endif -%}
    {%- endif %}

with

counts as (

    select
        (select count(*) from {{ model }}) as clean_rows,
        (select count(*) from {{ rejected }}) as rejected_rows

)

select * from counts
where rejected_rows > {{ warn_share }} * (clean_rows + rejected_rows)
{%- endtest %}
