-- The CJK members' exports to the US by sector, annual and monthly.
select * from read_parquet('serving/parquet/mart_bloc_tariff_exposure/*.parquet')
where bloc_code = 'CJK'
