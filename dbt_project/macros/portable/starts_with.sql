{#- True when value begins with prefix: DuckDB spells it starts_with, Spark startswith. -#}
{% macro starts_with(value, prefix) -%}
    {{ return(adapter.dispatch('starts_with')(value, prefix)) }}
{%- endmacro %}

{% macro duckdb__starts_with(value, prefix) -%}
    starts_with({{ value }}, {{ prefix }})
{%- endmacro %}

{% macro spark__starts_with(value, prefix) -%}
    startswith({{ value }}, {{ prefix }})
{%- endmacro %}
