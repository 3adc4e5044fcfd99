{#- Fails with the rows where the SQL expression is not true (null counts as a failure:
    write `x is null or ...` where null is allowed). -#}
{% test expression_is_true(model, expression) %}
    select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
