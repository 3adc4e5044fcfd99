{#- The union of comma-separated lists across a group's rows (e.g. the measure ids of the
    intervals or months aggregated), sorted and without repeats; empty entries are left
    out; null when every entry is. An aggregate: use it where the rows are grouped.
    array_sort, array_distinct and string_agg are spelt alike on DuckDB and Spark. -#}
{% macro comma_list_union(column) -%}
    {%- set entries = split_list("string_agg(nullif(" ~ column ~ ", ''), ',')", "','") -%}
    {{ list_join('array_sort(array_distinct(' ~ entries ~ '))', "','") }}
{%- endmacro %}
