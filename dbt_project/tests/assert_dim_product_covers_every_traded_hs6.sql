{{ config(meta={'dagster': {'ref': {'name': 'dim_product'}}}) }}
-- Every HS6 code of fct_trade is a product of dim_product (the relationship of
-- fct_trade.hs6, checked on dim_product: it is built after the yearly trade models).
select distinct fct_trade.hs6
from {{ ref('fct_trade') }} as fct_trade
left join {{ ref('dim_product') }} as dim_product using (hs6)
where dim_product.hs6 is null
