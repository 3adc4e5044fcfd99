-- Every bloc and year, with the year's coverage columns (a Comtrade fallback year covers fewer pairs).
select * from read_parquet('serving/parquet/mart_bloc_trade_annual/*.parquet')
