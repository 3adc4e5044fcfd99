{#- A regular expression as an SQL string literal: Spark unescapes backslashes in string
    literals ('\(' reads as '('), DuckDB keeps them as written. Pass the pattern as the
    regex engine should see it. -#}
{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal')(pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_literal(pattern) -%}
    '{{ pattern }}'
{%- endmacro %}

{% macro spark__regex_literal(pattern) -%}
    '{{ pattern | replace("\\", "\\\\") }}'
{%- endmacro %}
