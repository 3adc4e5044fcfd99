select * from read_parquet('serving/parquet/mart_intra_industry_trade/*.parquet')
where reporter_iso3 in ('CHN', 'JPN', 'KOR') and partner_iso3 in ('CHN', 'JPN', 'KOR', 'USA')
