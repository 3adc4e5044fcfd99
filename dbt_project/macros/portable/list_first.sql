{#- A list's first element, null when the list is empty: DuckDB indexes from 1 and gives
    null out of range; Spark's [] indexes from 0 and raises out of range in ANSI mode. -#}
{% macro list_first(list) -%}
    {{ return(adapter.dispatch('list_first')(list)) }}
{%- endmacro %}

{% macro duckdb__list_first(list) -%}
    ({{ list }})[1]
{%- endmacro %}

{% macro spark__list_first(list) -%}
    try_element_at({{ list }}, 1)
{%- endmacro %}
