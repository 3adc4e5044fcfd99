select * from read_parquet('serving/parquet/mart_export_concentration/*.parquet')
where iso3 in ('CHN', 'JPN', 'KOR', 'USA')
