{#- One row per element of a list, in a select list (none for an empty or null list):
    DuckDB's unnest is Spark's explode. Spark allows one such call per select. -#}
{% macro unnest_list(list) -%}
    {{ return(adapter.dispatch('unnest_list')(list)) }}
{%- endmacro %}

{% macro duckdb__unnest_list(list) -%}
    unnest({{ list }})
{%- endmacro %}

{% macro spark__unnest_list(list) -%}
    explode({{ list }})
{%- endmacro %}
