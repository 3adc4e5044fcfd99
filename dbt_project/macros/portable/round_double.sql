{#- A double rounded to `digits` decimals (0 to 11) as DuckDB rounds it: its exact binary
    value, half away from zero (round(2.675, 2) = 2.67, as 2.675 is 2.67499999...); Spark
    rounds the shortest decimal text instead (2.68), so there the exact rounding is computed
    from x * 10^d and its exact error (Dekker's product, x split in halves: exact while
    5^d < 2^26, hence digits <= 11); the lambdas only name the intermediate values. -#}
{% macro round_double(value, digits) -%}
    {{ return(adapter.dispatch('round_double')(value, digits)) }}
{%- endmacro %}

{% macro duckdb__round_double(value, digits) -%}
    round({{ value }}, {{ digits }})
{%- endmacro %}

{% macro spark__round_double(value, digits) -%}
    {%- set scale = '1e' ~ digits -%}
    element_at(transform(array(cast({{ value }} as double)), rd_x ->
        element_at(transform(array(abs(rd_x) * {{ scale }}), rd_y ->
            element_at(transform(array(134217729.0D * abs(rd_x)), rd_c ->
                element_at(transform(array(rd_c - (rd_c - abs(rd_x))), rd_xh ->
                    signum(rd_x) * ((floor(rd_y)
                        + case when (rd_y - floor(rd_y) - 0.5D)
                            + ((rd_xh * {{ scale }} - rd_y) + (abs(rd_x) - rd_xh) * {{ scale }}) >= 0
                            then 1 else 0 end) / {{ scale }})
                ), 1)
            ), 1)
        ), 1)
    ), 1)
{%- endmacro %}
