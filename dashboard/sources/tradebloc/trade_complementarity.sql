select * from read_parquet('serving/parquet/mart_trade_complementarity/*.parquet')
where exporter_iso3 in ('CHN', 'JPN', 'KOR') and importer_iso3 in ('CHN', 'JPN', 'KOR', 'USA')
