{#- True when two lists share an element: DuckDB's list_has_any is Spark's arrays_overlap
    (null, not false, when only a null element could match: the same in a condition). -#}
{% macro list_has_any(list, other) -%}
    {{ return(adapter.dispatch('list_has_any')(list, other)) }}
{%- endmacro %}

{% macro duckdb__list_has_any(list, other) -%}
    list_has_any({{ list }}, {{ other }})
{%- endmacro %}

{% macro spark__list_has_any(list, other) -%}
    arrays_overlap({{ list }}, {{ other }})
{%- endmacro %}
