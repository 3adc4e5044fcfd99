{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_trade'}}}) }}
-- Every HS6 code of fct_trade is a product of dim_product (the relationship of
-- fct_trade.hs6). dim_product is built from the product lists landed (BACI's product
-- codes, the WITS tariff lines, the US HTS), before the facts: a traded code missing
-- from every list is a gap of the raw folder (no product list downloaded, or one of
-- another HS edition), so a warning that lists the codes, not a failed build; the marts
-- that group by sector or chapter (mart_country_rca, mart_bloc_tariff_exposure) leave
-- such codes out. Checks the years of the run.
select distinct fct_trade.hs6
from {{ ref('fct_trade') }} as fct_trade
left join {{ ref('dim_product') }} as dim_product using (hs6)
where dim_product.hs6 is null {{ in_run_years('fct_trade.year') }}
