-- The US duty on each exporter and HTS8 line, interval by interval, by authority.
-- An open interval ends on 9999-12-31: Evidence would store a missing date as 1970-01-01.
select s.* replace (coalesce(s.valid_to, date '9999-12-31') as valid_to), c.name as exporter, p.description as product, p.sector
from read_parquet('serving/parquet/fct_us_tariff_schedule/*.parquet') s
join read_parquet('serving/parquet/dim_country/*.parquet') c on c.iso3 = s.exporter_iso3
join read_parquet('serving/parquet/dim_product/*.parquet') p using (hs6)
