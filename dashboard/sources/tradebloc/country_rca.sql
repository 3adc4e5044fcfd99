-- Revealed comparative advantage of the CJK members and the US, by sector and HS2.
select * from read_parquet('serving/parquet/mart_country_rca/*.parquet')
where iso3 in ('CHN', 'JPN', 'KOR', 'USA')
