-- Reporter x partner x year: the Grubel-Lloyd index of intra-industry trade between
-- two countries, aggregated over HS6 and weighted by trade, from the reporter's side
-- (X_k its exports to the partner, M_k its imports from it; the index is symmetric).
-- Annual flows, reconciled value_usd.
with trade as (
    select * from {{ ref('fct_trade') }}
),

annual_flows as (
    select
        year,
        exporter_iso3,
        importer_iso3,
        hs6,
        sum(value_usd) as value_usd,
    from trade
    where period_type = 'annual'
    group by year, exporter_iso3, importer_iso3, hs6
),

directed as (
    -- each flow seen once from the exporter's side (X) and once from the importer's (M)
    select
        year,
        exporter_iso3 as reporter_iso3,
        importer_iso3 as partner_iso3,
        hs6,
        value_usd as exports_usd,
        0.0 as imports_usd,
    from annual_flows

    union all

    select
        year,
        importer_iso3 as reporter_iso3,
        exporter_iso3 as partner_iso3,
        hs6,
        0.0 as exports_usd,
        value_usd as imports_usd,
    from annual_flows
),

by_product as (
    -- X_k and M_k
    select
        year,
        reporter_iso3,
        partner_iso3,
        hs6,
        sum(exports_usd) as exports_usd,
        sum(imports_usd) as imports_usd,
    from directed
    group by year, reporter_iso3, partner_iso3, hs6
),

by_pair as (
    select
        year,
        reporter_iso3,
        partner_iso3,
        sum(exports_usd) as exports_usd,
        sum(imports_usd) as imports_usd,
        -- sum_k (X_k + M_k)
        sum(exports_usd + imports_usd) as total_trade_usd,
        -- sum_k |X_k - M_k|
        sum(abs(exports_usd - imports_usd)) as net_trade_usd,
        count(*) filter (where exports_usd + imports_usd > 0) as product_count,
        count(*) filter (where exports_usd > 0 and imports_usd > 0) as two_way_product_count,
    from by_product
    group by year, reporter_iso3, partner_iso3
),

indices as (
    select
        *,
        total_trade_usd - net_trade_usd as intra_industry_trade_usd,
        -- Grubel-Lloyd: GL = 1 - sum_k |X_k - M_k| / sum_k (X_k + M_k)
        1 - net_trade_usd / nullif(total_trade_usd, 0) as grubel_lloyd_index,
    from by_pair
),

final as (
    select
        cast(reporter_iso3 as varchar) as reporter_iso3,
        cast(partner_iso3 as varchar) as partner_iso3,
        cast(year as integer) as year,
        cast(exports_usd as double) as exports_usd,
        cast(imports_usd as double) as imports_usd,
        cast(total_trade_usd as double) as total_trade_usd,
        cast(intra_industry_trade_usd as double) as intra_industry_trade_usd,
        cast(grubel_lloyd_index as double) as grubel_lloyd_index,
        cast(product_count as integer) as product_count,
        cast(two_way_product_count as integer) as two_way_product_count,
    from indices
)

select * from final
