{#- The union of comma-separated lists across a group's rows (e.g. the measure ids of the
    intervals or months aggregated), sorted and without repeats; empty entries are left
    out. An aggregate: use it where the rows are grouped. -#}
{% macro comma_list_union(column) -%}
    array_to_string(list_sort(list_distinct(string_split(string_agg(nullif({{ column }}, ''), ','), ','))), ',')
{%- endmacro %}
