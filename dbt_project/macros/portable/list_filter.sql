{#- The elements of a list for which a condition on `element` (the name given) holds:
    the lambda syntax differs (DuckDB `lambda x: ...`, Spark `x -> ...`). -#}
{% macro list_filter(list, element, condition) -%}
    {{ return(adapter.dispatch('list_filter')(list, element, condition)) }}
{%- endmacro %}

{% macro duckdb__list_filter(list, element, condition) -%}
    list_filter({{ list }}, lambda {{ element }}: {{ condition }})
{%- endmacro %}

{% macro spark__list_filter(list, element, condition) -%}
    filter({{ list }}, {{ element }} -> {{ condition }})
{%- endmacro %}
