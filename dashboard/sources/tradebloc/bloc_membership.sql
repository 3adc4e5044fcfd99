select m.bloc_code, b.name as bloc_name, m.iso3, c.name as country, m.valid_from,
       -- as text: Evidence stores a date column with no value as 0 (1970-01-01)
       cast(m.valid_to as varchar) as valid_to, m.source
from read_parquet('serving/parquet/bridge_bloc_membership/*.parquet') m
join read_parquet('serving/parquet/dim_bloc/*.parquet') b using (bloc_code)
join read_parquet('serving/parquet/dim_country/*.parquet') c using (iso3)
