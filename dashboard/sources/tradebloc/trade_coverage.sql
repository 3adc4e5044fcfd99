select * from read_parquet('serving/parquet/mart_trade_coverage/*.parquet')
