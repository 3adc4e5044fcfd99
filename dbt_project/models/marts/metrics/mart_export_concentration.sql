-- Country x year: how concentrated a country's exports are, over products (HS6) and
-- over markets (importing partners): the Herfindahl-Hirschman index, its normalised
-- form and the number of products or markets with exports. Annual flows, reconciled
-- value_usd; products and markets with no positive exports are not counted in n.
with trade as (
    select * from {{ ref('fct_trade') }}
    where true {{ in_run_years() }}
),

coverage as (
    -- the year's source and coverage (mart_trade_coverage), carried on every row
    select year, trade_source, is_source_fallback, covered_reporter_count, world_trade_share_covered
    from {{ ref('mart_trade_coverage') }}
    where true {{ in_run_years() }}
),

annual_flows as (
    select
        year,
        exporter_iso3 as iso3,
        importer_iso3,
        hs6,
        value_usd
    from trade
    where period_type = 'annual'
),

by_product as (
    select year, iso3, hs6, sum(value_usd) as exports_usd
    from annual_flows
    group by year, iso3, hs6
    having sum(value_usd) > 0
),

by_market as (
    select year, iso3, importer_iso3, sum(value_usd) as exports_usd
    from annual_flows
    group by year, iso3, importer_iso3
    having sum(value_usd) > 0
),

totals as (
    select year, iso3, sum(exports_usd) as exports_usd
    from by_product
    group by year, iso3
),

product_hhi as (
    -- HHI = sum_k s_k^2, s_k = product k's share of the country's exports
    select
        by_product.year,
        by_product.iso3,
        sum(power(by_product.exports_usd / totals.exports_usd, 2)) as product_hhi,
        count(*) as product_count
    from by_product
    inner join totals
        on by_product.year = totals.year
        and by_product.iso3 = totals.iso3
    group by by_product.year, by_product.iso3
),

market_hhi as (
    -- the same over partners: s_k = market k's share of the country's exports
    select
        by_market.year,
        by_market.iso3,
        sum(power(by_market.exports_usd / totals.exports_usd, 2)) as market_hhi,
        count(*) as market_count
    from by_market
    inner join totals
        on by_market.year = totals.year
        and by_market.iso3 = totals.iso3
    group by by_market.year, by_market.iso3
),

joined as (
    select
        totals.year,
        totals.iso3,
        totals.exports_usd,
        product_hhi.product_count,
        product_hhi.product_hhi,
        market_hhi.market_count,
        market_hhi.market_hhi
    from totals
    inner join product_hhi
        on totals.year = product_hhi.year
        and totals.iso3 = product_hhi.iso3
    inner join market_hhi
        on totals.year = market_hhi.year
        and totals.iso3 = market_hhi.iso3
),

normalised as (
    -- (HHI - 1/n) / (1 - 1/n), computed as the equal (n * HHI - 1) / (n - 1), which
    -- avoids the rounding of 1/n; 1 when n = 1
    select
        *,
        case
            when product_count = 1 then 1.0
            else (product_count * product_hhi - 1) / (product_count - 1)
        end as product_hhi_normalised,
        case
            when market_count = 1 then 1.0
            else (market_count * market_hhi - 1) / (market_count - 1)
        end as market_hhi_normalised
    from joined
),

final as (
    select
        cast(iso3 as string) as iso3,
        cast(year as integer) as year,
        cast(exports_usd as double) as exports_usd,
        cast(product_count as integer) as product_count,
        cast(product_hhi as double) as product_hhi,
        cast(product_hhi_normalised as double) as product_hhi_normalised,
        cast(market_count as integer) as market_count,
        cast(market_hhi as double) as market_hhi,
        cast(market_hhi_normalised as double) as market_hhi_normalised,
        cast(trade_source as string) as trade_source,
        cast(is_source_fallback as boolean) as is_source_fallback,
        cast(covered_reporter_count as integer) as covered_reporter_count,
        cast(world_trade_share_covered as double) as world_trade_share_covered
    from normalised
    left join coverage using (year)
)

select * from final
