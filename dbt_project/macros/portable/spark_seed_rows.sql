{#- Spark only, an override of dbt-spark's seed loading: in session mode dbt-spark pastes
    each CSV value into the insert as '<value>' without escaping, so a quote in a value
    (hs_sections: "collectors' pieces") breaks the statement and an empty cell becomes the
    string 'None'. Here every value is written as an escaped literal, an empty cell as
    null, as dbt-duckdb loads them. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set batch_size = get_batch_size() -%}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(batch_size) -%}
    {%- set sql -%}
      insert into {{ this.render() }} values
      {% for row in chunk -%}
        ({%- for col_name in agate_table.column_names -%}
          {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
          {%- set value = row[loop.index0] -%}
          cast(
            {%- if value is none -%} null
            {%- elif value is boolean -%} {{ 'true' if value else 'false' }}
            {%- elif value is number -%} {{ value }}
            {%- else -%} '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
            {%- endif %} as {{ type }})
          {%- if not loop.last %}, {% endif -%}
        {%- endfor -%})
        {%- if not loop.last %},{% endif %}
      {% endfor %}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- if loop.index0 == 0 -%}
      {%- do statements.append(sql) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(statements[0]) }}
{% endmacro %}
