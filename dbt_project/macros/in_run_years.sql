{#- The years this run covers, as extra conditions after a `where`: with vars
    year_from / year_to (what a yearly partition passes), only those years; without
    them, every year. Used by the yearly, incremental trade models. -#}
{% macro in_run_years(column='year') -%}
    {%- if var('year_from', none) is not none %} and {{ column }} >= {{ var('year_from') }}{% endif -%}
    {%- if var('year_to', none) is not none %} and {{ column }} <= {{ var('year_to') }}{% endif -%}
{%- endmacro %}
