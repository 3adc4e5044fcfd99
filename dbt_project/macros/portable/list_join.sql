{#- A list's elements joined into one string with a separator: DuckDB's array_to_string
    is Spark's array_join (null for a null list, '' for an empty one, in both). -#}
{% macro list_join(list, separator) -%}
    {{ return(adapter.dispatch('list_join')(list, separator)) }}
{%- endmacro %}

{% macro duckdb__list_join(list, separator) -%}
    array_to_string({{ list }}, {{ separator }})
{%- endmacro %}

{% macro spark__list_join(list, separator) -%}
    array_join({{ list }}, {{ separator }})
{%- endmacro %}
