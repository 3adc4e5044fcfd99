{#- The group's values joined by a separator in a given order (null when all are null):
    DuckDB takes the order inside string_agg, Spark as listagg ... within group; dbt's
    listagg cannot order on Spark. -#}
{% macro string_agg_ordered(value, separator, order_by) -%}
    {{ return(adapter.dispatch('string_agg_ordered')(value, separator, order_by)) }}
{%- endmacro %}

{% macro duckdb__string_agg_ordered(value, separator, order_by) -%}
    string_agg({{ value }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(value, separator, order_by) -%}
    listagg({{ value }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}
