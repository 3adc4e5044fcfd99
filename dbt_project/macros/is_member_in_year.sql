{#- The one membership rule of the bloc marts: a country counts as a member of a bloc
    in year y when it is a member on 1 July of y (valid_from <= 1 July <= valid_to;
    valid_to inclusive, null while a member). So RCEP counts Korea (2022-02-01) for
    2022 and the UK (left 2020-01-31) in EU27 until 2019. -#}
{% macro is_member_in_year(membership, year) -%}
    ({{ membership }}.valid_from <= make_date({{ year }}, 7, 1)
     and ({{ membership }}.valid_to is null or make_date({{ year }}, 7, 1) <= {{ membership }}.valid_to))
{%- endmacro %}
