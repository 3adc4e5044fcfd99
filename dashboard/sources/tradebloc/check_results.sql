select * from read_parquet('serving/parquet/check_results/*.parquet')
