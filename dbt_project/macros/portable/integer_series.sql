{#- The list of integers start..stop, both included (empty when stop < start): DuckDB's
    generate_series is Spark's sequence, which counts down when stop < start. -#}
{% macro integer_series(start, stop) -%}
    {{ return(adapter.dispatch('integer_series')(start, stop)) }}
{%- endmacro %}

{% macro duckdb__integer_series(start, stop) -%}
    generate_series({{ start }}, {{ stop }})
{%- endmacro %}

{% macro spark__integer_series(start, stop) -%}
    case when {{ start }} <= {{ stop }} then sequence({{ start }}, {{ stop }}) else array() end
{%- endmacro %}
