{#- A string split at every occurrence of a literal delimiter, as a list (empty pieces
    kept): DuckDB's string_split; Spark's split takes a regular expression, so the
    delimiter is quoted. -#}
{% macro split_list(value, delimiter) -%}
    {{ return(adapter.dispatch('split_list')(value, delimiter)) }}
{%- endmacro %}

{% macro duckdb__split_list(value, delimiter) -%}
    string_split({{ value }}, {{ delimiter }})
{%- endmacro %}

{% macro spark__split_list(value, delimiter) -%}
    split({{ value }}, concat('\\Q', {{ delimiter }}, '\\E'), -1)
{%- endmacro %}
