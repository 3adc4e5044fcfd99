{#- An empty list that takes the element type of the list it is combined with (e.g. in
    coalesce): DuckDB writes [], Spark array(). -#}
{% macro empty_list() -%}
    {{ return(adapter.dispatch('empty_list')()) }}
{%- endmacro %}

{% macro duckdb__empty_list() -%}
    []
{%- endmacro %}

{% macro spark__empty_list() -%}
    array()
{%- endmacro %}
