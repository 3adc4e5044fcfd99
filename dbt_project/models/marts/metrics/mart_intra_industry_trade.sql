-- Reporter x partner x year: the Grubel-Lloyd index of intra-industry trade between
-- two countries, aggregated over HS6 and weighted by trade, from the reporter's side
-- (X_k its exports to the partner, M_k its imports from it; the index is symmetric).
-- Annual flows, reconciled value_usd.
--
-- sum_k (X_k + M_k) - sum_k |X_k - M_k| = 2 sum_k min(X_k, M_k), and min is 0 unless
-- the product goes both ways. So the pair sums come from one aggregate per direction
-- and the matched trade from joining each flow to its reverse: no HS6 row is needed
-- for a product that goes one way only, and nothing is ever grouped by HS6 (at BACI
-- scale that was 20 million groups a year).
with annual_flows as (
    -- one row per year, exporter, importer and HS6 (fct_trade's grain, one annual period a year)
    select year, exporter_iso3, importer_iso3, hs6, value_usd
    from {{ ref('fct_trade') }}
    where period_type = 'annual' {{ in_run_years() }}
),

coverage as (
    -- the year's source and coverage (mart_trade_coverage), carried on every row
    select year, trade_source, is_source_fallback, covered_reporter_count, world_trade_share_covered
    from {{ ref('mart_trade_coverage') }}
    where true {{ in_run_years() }}
),

one_way as (
    -- each direction of each pair: sum_k over its flows
    select
        year,
        exporter_iso3,
        importer_iso3,
        sum(value_usd) as value_usd,
        count(*) filter (where value_usd > 0) as product_count
    from annual_flows
    group by year, exporter_iso3, importer_iso3
),

two_way as (
    -- products that go both ways, each pair once (exporter < importer): sum_k min(X_k, M_k)
    select
        there.year,
        there.exporter_iso3,
        there.importer_iso3,
        sum(least(there.value_usd, back.value_usd)) as matched_usd,
        count(*) filter (where there.value_usd > 0 and back.value_usd > 0) as product_count
    from annual_flows as there
    inner join annual_flows as back
        on there.year = back.year
        and there.exporter_iso3 = back.importer_iso3
        and there.importer_iso3 = back.exporter_iso3
        and there.hs6 = back.hs6
    where there.exporter_iso3 < there.importer_iso3
    group by there.year, there.exporter_iso3, there.importer_iso3
),

two_way_both_sides as (
    select year, exporter_iso3 as reporter_iso3, importer_iso3 as partner_iso3, matched_usd, product_count
    from two_way
    union all
    select year, importer_iso3, exporter_iso3, matched_usd, product_count
    from two_way
),

pairs as (
    -- every pair with a flow either way, seen from both sides
    select year, exporter_iso3 as reporter_iso3, importer_iso3 as partner_iso3 from one_way
    union
    select year, importer_iso3, exporter_iso3 from one_way
),

by_pair as (
    select
        pairs.year,
        pairs.reporter_iso3,
        pairs.partner_iso3,
        coalesce(exports.value_usd, 0) as exports_usd,
        coalesce(imports.value_usd, 0) as imports_usd,
        coalesce(exports.value_usd, 0) + coalesce(imports.value_usd, 0) as total_trade_usd,
        2 * coalesce(two_way_both_sides.matched_usd, 0) as intra_industry_trade_usd,
        -- products traded either way: each way's, less those counted twice
        coalesce(exports.product_count, 0) + coalesce(imports.product_count, 0)
            - coalesce(two_way_both_sides.product_count, 0) as product_count,
        coalesce(two_way_both_sides.product_count, 0) as two_way_product_count
    from pairs
    left join one_way as exports
        on pairs.year = exports.year
        and pairs.reporter_iso3 = exports.exporter_iso3
        and pairs.partner_iso3 = exports.importer_iso3
    left join one_way as imports
        on pairs.year = imports.year
        and pairs.reporter_iso3 = imports.importer_iso3
        and pairs.partner_iso3 = imports.exporter_iso3
    left join two_way_both_sides
        on pairs.year = two_way_both_sides.year
        and pairs.reporter_iso3 = two_way_both_sides.reporter_iso3
        and pairs.partner_iso3 = two_way_both_sides.partner_iso3
),

final as (
    select
        cast(reporter_iso3 as string) as reporter_iso3,
        cast(partner_iso3 as string) as partner_iso3,
        cast(year as integer) as year,
        cast(exports_usd as double) as exports_usd,
        cast(imports_usd as double) as imports_usd,
        cast(total_trade_usd as double) as total_trade_usd,
        cast(intra_industry_trade_usd as double) as intra_industry_trade_usd,
        -- Grubel-Lloyd: GL = 1 - sum_k |X_k - M_k| / sum_k (X_k + M_k)
        --                  = 2 sum_k min(X_k, M_k) / sum_k (X_k + M_k)
        cast(intra_industry_trade_usd / nullif(total_trade_usd, 0) as double) as grubel_lloyd_index,
        cast(product_count as integer) as product_count,
        cast(two_way_product_count as integer) as two_way_product_count,
        cast(trade_source as string) as trade_source,
        cast(is_source_fallback as boolean) as is_source_fallback,
        cast(covered_reporter_count as integer) as covered_reporter_count,
        cast(world_trade_share_covered as double) as world_trade_share_covered
    from by_pair
    left join coverage using (year)
)

select * from final
