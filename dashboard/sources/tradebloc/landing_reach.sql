select * from read_parquet('serving/parquet/mart_landing_reach/*.parquet')
