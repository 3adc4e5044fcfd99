{#- `inner join` of each left row to the right row with the same keys and the latest time
    not after the left row's (the right rows unique per keys and time): DuckDB has ASOF
    joins, Spark does not, so there each right row's time runs to the next one's. Renders
    the whole join clause; `keys` are columns named alike on both sides. -#}
{% macro asof_inner_join(left_alias, left_time, right_relation, right_alias, right_time, keys) -%}
    {{ return(adapter.dispatch('asof_inner_join')(left_alias, left_time, right_relation, right_alias, right_time, keys)) }}
{%- endmacro %}

{% macro duckdb__asof_inner_join(left_alias, left_time, right_relation, right_alias, right_time, keys) -%}
    asof inner join {{ right_relation }} as {{ right_alias }}
        on {% for key in keys %}{{ left_alias }}.{{ key }} = {{ right_alias }}.{{ key }}
        and {% endfor %}{{ left_alias }}.{{ left_time }} >= {{ right_alias }}.{{ right_time }}
{%- endmacro %}

{% macro spark__asof_inner_join(left_alias, left_time, right_relation, right_alias, right_time, keys) -%}
    inner join (
        select
            *,
            lead({{ right_time }}) over (partition by {{ keys | join(', ') }} order by {{ right_time }})
                as _asof_next_time
        from {{ right_relation }}
    ) as {{ right_alias }}
        on {% for key in keys %}{{ left_alias }}.{{ key }} = {{ right_alias }}.{{ key }}
        and {% endfor %}{{ left_alias }}.{{ left_time }} >= {{ right_alias }}.{{ right_time }}
        and ({{ right_alias }}._asof_next_time is null or {{ left_alias }}.{{ left_time }} < {{ right_alias }}._asof_next_time)
{%- endmacro %}
