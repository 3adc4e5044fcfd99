{#- The aggregate that collects a group's values into a list: DuckDB's list(), Spark's
    collect_list(). DuckDB keeps nulls, Spark drops them: use it on non-null values. -#}
{% macro aggregate_list(value) -%}
    {{ return(adapter.dispatch('aggregate_list')(value)) }}
{%- endmacro %}

{% macro duckdb__aggregate_list(value) -%}
    list({{ value }})
{%- endmacro %}

{% macro spark__aggregate_list(value) -%}
    collect_list({{ value }})
{%- endmacro %}
