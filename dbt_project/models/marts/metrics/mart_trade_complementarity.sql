-- Importer x exporter x year: the trade complementarity index, how well the exporter's
-- export basket matches the importer's import basket, over HS6. Annual flows,
-- reconciled value_usd; shares are of each country's trade with the world (every
-- annual flow in fct_trade). One row for every ordered pair of distinct countries
-- where the first imports and the second exports that year.
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
    select year, exporter_iso3, importer_iso3, hs6, value_usd
    from trade
    where period_type = 'annual'
),

imports_by_product as (
    select year, importer_iso3 as iso3, hs6, sum(value_usd) as imports_usd
    from annual_flows
    group by year, importer_iso3, hs6
    having sum(value_usd) > 0
),

exports_by_product as (
    select year, exporter_iso3 as iso3, hs6, sum(value_usd) as exports_usd
    from annual_flows
    group by year, exporter_iso3, hs6
    having sum(value_usd) > 0
),

import_totals as (
    select year, iso3, sum(imports_usd) as imports_usd
    from imports_by_product
    group by year, iso3
),

export_totals as (
    select year, iso3, sum(exports_usd) as exports_usd
    from exports_by_product
    group by year, iso3
),

import_shares as (
    -- m_ik: product k's share of country i's imports
    select
        imports_by_product.year,
        imports_by_product.iso3,
        imports_by_product.hs6,
        imports_by_product.imports_usd / import_totals.imports_usd as import_share
    from imports_by_product
    inner join import_totals
        on imports_by_product.year = import_totals.year
        and imports_by_product.iso3 = import_totals.iso3
),

export_shares as (
    -- x_jk: product k's share of country j's exports
    select
        exports_by_product.year,
        exports_by_product.iso3,
        exports_by_product.hs6,
        exports_by_product.exports_usd / export_totals.exports_usd as export_share
    from exports_by_product
    inner join export_totals
        on exports_by_product.year = export_totals.year
        and exports_by_product.iso3 = export_totals.iso3
),

pairs as (
    select
        import_totals.year,
        import_totals.iso3 as importer_iso3,
        export_totals.iso3 as exporter_iso3
    from import_totals
    inner join export_totals
        on import_totals.year = export_totals.year
        and import_totals.iso3 != export_totals.iso3
),

overlap as (
    -- sum_k min(m_ik, x_jk), over the products both have (min is 0 elsewhere)
    select
        import_shares.year,
        import_shares.iso3 as importer_iso3,
        export_shares.iso3 as exporter_iso3,
        sum(least(import_shares.import_share, export_shares.export_share)) as matched_share,
        count(*) as overlapping_product_count
    from import_shares
    inner join export_shares
        on import_shares.year = export_shares.year
        and import_shares.hs6 = export_shares.hs6
        and import_shares.iso3 != export_shares.iso3
    group by import_shares.year, import_shares.iso3, export_shares.iso3
),

indices as (
    -- WITS Trade Complementarity Index: TC_ij = 100 * (1 - sum_k |m_ik - x_jk| / 2).
    -- Both share vectors sum to 1, so sum_k |m_ik - x_jk| = 2 - 2 * sum_k min(m_ik, x_jk)
    -- and TC_ij = 100 * sum_k min(m_ik, x_jk): the same number, from an inner join on
    -- the products both countries trade instead of every pair x every product.
    select
        pairs.year,
        pairs.importer_iso3,
        pairs.exporter_iso3,
        100 * coalesce(overlap.matched_share, 0) as trade_complementarity_index,
        coalesce(overlap.overlapping_product_count, 0) as overlapping_product_count
    from pairs
    left join overlap
        on pairs.year = overlap.year
        and pairs.importer_iso3 = overlap.importer_iso3
        and pairs.exporter_iso3 = overlap.exporter_iso3
),

final as (
    select
        cast(importer_iso3 as string) as importer_iso3,
        cast(exporter_iso3 as string) as exporter_iso3,
        cast(year as integer) as year,
        cast(trade_complementarity_index as double) as trade_complementarity_index,
        cast(overlapping_product_count as integer) as overlapping_product_count,
        cast(trade_source as string) as trade_source,
        cast(is_source_fallback as boolean) as is_source_fallback,
        cast(covered_reporter_count as integer) as covered_reporter_count,
        cast(world_trade_share_covered as double) as world_trade_share_covered
    from indices
    left join coverage using (year)
)

select * from final
