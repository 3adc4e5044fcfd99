{#- The years this run covers, as extra conditions after a `where`: with vars
    year_from / year_to (what a yearly partition passes), only those years; without
    them, every year. Used by the yearly, incremental trade models. years_before widens
    the range back by that many years, for a model that compares a year with the one
    before it (it reads them from an upstream table, never from itself). -#}
{% macro in_run_years(column='year', years_before=0) -%}
    {%- if var('year_from', none) is not none %} and {{ column }} >= {{ var('year_from') }} - {{ years_before }}{% endif -%}
    {%- if var('year_to', none) is not none %} and {{ column }} <= {{ var('year_to') }}{% endif -%}
{%- endmacro %}
