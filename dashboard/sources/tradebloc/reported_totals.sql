-- Annual totals (HS TOTAL) as each CJK member and the US reported them, with each other and the world.
select reporter_iso3, partner_iso3, flow, year, value_usd
from read_parquet('serving/parquet/fct_trade_reported/**/*.parquet', hive_partitioning = true)
where period_type = 'annual' and hs_level = 0
  and reporter_iso3 in ('CHN', 'JPN', 'KOR', 'USA')
  and partner_iso3 in ('CHN', 'JPN', 'KOR', 'USA', 'WLD')
