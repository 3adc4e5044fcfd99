{#- On Spark, the landed raw tables are Parquet files (dagster_project/spark.py writes one
    per raw table, the same rows DuckDB landed): register each source as an external table
    over its file before anything reads it. On DuckDB the sources are the raw tables. -#}
{% macro register_landed_sources() %}
    {{ return(adapter.dispatch('register_landed_sources')()) }}
{% endmacro %}

{% macro default__register_landed_sources() %}
    select 1
{% endmacro %}

{% macro spark__register_landed_sources() %}
    {%- if execute -%}
        {%- set landed = env_var('TRADEBLOC_SPARK_DIR') ~ '/landed' -%}
        {%- for source in graph.sources.values() -%}
            {%- do run_query('create schema if not exists ' ~ source.schema) -%}
            {%- do run_query('drop table if exists ' ~ source.schema ~ '.' ~ source.identifier) -%}
            {%- do run_query('create table ' ~ source.schema ~ '.' ~ source.identifier
                ~ " using parquet location '" ~ landed ~ '/' ~ source.identifier ~ "'") -%}
        {%- endfor -%}
    {%- endif %}
    select 1
{% endmacro %}
