-- Every row of every H&M file is staged exactly once: the rows read straight
-- from each source (the file the base model reads: .csv, .csv.gz or
-- .parquet), plus the lines DuckDB set aside while reading them, equal the
-- clean rows plus the rejected rows. Returns the files where they do not.
{%- set files = [
    ('articles', 'articles'),
    ('customers', 'customers'),
    ('transactions_train', 'transactions'),
    ('sample_submission', 'sample_submission'),
] %}

with

{% for file, entity in files %}
{{ entity }}_counts as (

    select
        {{ hm_source_file_name('hm', file) }} as source_file,
        (select count(*) from {{ hm_source_relation('hm', file) }})
        + (
            select count(*) from {{ ref('base_hm__' ~ entity) }}
            where is_set_aside
        ) as raw_rows,
        (select count(*) from {{ ref('stg_hm__' ~ entity) }}) as clean_rows,
        (
            select count(*) from {{ ref('stg_hm__' ~ entity ~ '_rejected') }}
        ) as rejected_rows

),

{% endfor %}
all_counts as (

    {% for file, entity in files %}
    select * from {{ entity }}_counts
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

final as (

    select * from all_counts
    where raw_rows != clean_rows + rejected_rows

)

select * from final
