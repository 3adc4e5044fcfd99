select * from read_parquet('serving/parquet/landing_ledger/*.parquet')
