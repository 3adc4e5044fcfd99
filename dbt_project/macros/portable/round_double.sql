{#- A double rounded to `digits` decimals as DuckDB does it, round(x * 10^d) / 10^d: Spark
    rounds a double through its shortest decimal text (round(2.675, 2) = 2.68, DuckDB
    2.67), so there the same steps are written out. -#}
{% macro round_double(value, digits) -%}
    {{ return(adapter.dispatch('round_double')(value, digits)) }}
{%- endmacro %}

{% macro default__round_double(value, digits) -%}
    round({{ value }}, {{ digits }})
{%- endmacro %}

{% macro spark__round_double(value, digits) -%}
    (round(cast({{ value }} as double) * 1e{{ digits }}) / 1e{{ digits }})
{%- endmacro %}
