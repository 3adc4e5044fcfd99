select * from read_parquet('serving/parquet/mart_mirror_gaps/*.parquet')
