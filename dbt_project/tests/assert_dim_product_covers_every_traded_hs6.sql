{{ config(meta={'dagster': {'ref': {'name': 'fct_trade'}}}) }}
-- Every HS6 code of fct_trade is a product of dim_product (the relationship of
-- fct_trade.hs6): dim_product is built from the product lists, before the facts, so a
-- traded code missing from every list fails here. Checks the years of the run.
select distinct fct_trade.hs6
from {{ ref('fct_trade') }} as fct_trade
left join {{ ref('dim_product') }} as dim_product using (hs6)
where dim_product.hs6 is null {{ in_run_years('fct_trade.year') }}
