{#- True when the whole string matches the pattern: DuckDB has regexp_full_match, Spark
    only partial matching (rlike), so there the pattern is anchored. -#}
{% macro regex_full_match(value, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match')(value, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_full_match(value, pattern) -%}
    regexp_full_match({{ value }}, {{ regex_literal(pattern) }})
{%- endmacro %}

{% macro spark__regex_full_match(value, pattern) -%}
    ({{ value }} rlike {{ regex_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}
