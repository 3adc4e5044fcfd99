{#- The years a run builds. Dagster's yearly partitions set TRADEBLOC_YEAR_FROM and
    TRADEBLOC_YEAR_TO (assets/dbt.py); vars year_from / year_to, where given, take
    precedence (a unit test sets them to null: every year). Neither set: every year.
    The environment is read only while dbt executes, never while it parses: a run's
    years are no input of the parse, so dbt's partial parse stays valid (vars on the
    command line would force a full parse, some 5 s, in every yearly run). -#}
{% macro run_year(bound) -%}
    {%- set from_environment = env_var('TRADEBLOC_YEAR_' ~ bound | upper, '') if execute else '' -%}
    {{- return(var('year_' ~ bound, from_environment or none)) -}}
{%- endmacro %}

{#- The run's years as extra conditions after a `where` (none: every year). Used by
    the yearly, incremental trade models. years_before widens the range back by that
    many years, for a model that compares a year with the one before it (it reads
    them from an upstream table, never from itself). -#}
{% macro in_run_years(column='year', years_before=0) -%}
    {%- set year_from, year_to = run_year('from'), run_year('to') -%}
    {%- if year_from is not none %} and {{ column }} >= {{ year_from }} - {{ years_before }}{% endif -%}
    {%- if year_to is not none %} and {{ column }} <= {{ year_to }}{% endif -%}
{%- endmacro %}

{#- A data test's `where` config, with __year_from__ and __year_to__ standing for the
    run's years (0 and 9999: every year). dbt renders `where` when it parses, before a
    run's years are known, so the years go in here, when the test runs: the way dbt's
    documentation gives for a `where` that needs a macro. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set year_from, year_to = run_year('from'), run_year('to') -%}
    {%- set where = (config.get('where') or '')
        | replace('__year_from__', (year_from if year_from is not none else 0) | string)
        | replace('__year_to__', (year_to if year_to is not none else 9999) | string) -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
