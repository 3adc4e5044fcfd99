-- Country x year x product group: Balassa's revealed comparative advantage, at two
-- levels of product grouping in one table: HS chapter (level 'hs2') and sector
-- (level 'sector', dim_product's sectors). Every country that exports that year gets a
-- row for every group the world exports that year (0 where it exports none of it).
-- Annual flows, reconciled value_usd; "world" = every annual flow in fct_trade.
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

products as (
    select * from {{ ref('dim_product') }}
),

annual_exports as (
    select
        trade.year,
        trade.exporter_iso3 as iso3,
        -- fct_trade's hs6 all exist in dim_product (tested); the fallbacks only keep
        -- every flow counted if one ever did not
        coalesce(products.hs2, left(trade.hs6, 2)) as hs2,
        coalesce(products.sector, 'other') as sector,
        trade.value_usd
    from trade
    left join products on trade.hs6 = products.hs6
    where trade.period_type = 'annual'
),

exports_by_group as (
    -- x_ij: country i's exports of product group j
    select year, iso3, 'hs2' as level, hs2 as product_group, sum(value_usd) as exports_usd
    from annual_exports
    group by year, iso3, hs2

    union all

    select year, iso3, 'sector' as level, sector as product_group, sum(value_usd) as exports_usd
    from annual_exports
    group by year, iso3, sector
),

country_totals as (
    -- X_i: country i's total exports
    select year, iso3, sum(value_usd) as country_exports_usd
    from annual_exports
    group by year, iso3
    having sum(value_usd) > 0
),

world_group_totals as (
    -- x_wj: world exports of product group j
    select year, level, product_group, sum(exports_usd) as world_product_group_exports_usd
    from exports_by_group
    group by year, level, product_group
),

world_totals as (
    -- X_w: world total exports
    select year, sum(value_usd) as world_exports_usd
    from annual_exports
    group by year
),

grid as (
    -- every exporting country x every product group traded that year
    select
        country_totals.year,
        country_totals.iso3,
        world_group_totals.level,
        world_group_totals.product_group,
        coalesce(exports_by_group.exports_usd, 0) as exports_usd,
        country_totals.country_exports_usd,
        world_group_totals.world_product_group_exports_usd,
        world_totals.world_exports_usd
    from country_totals
    inner join world_group_totals on country_totals.year = world_group_totals.year
    inner join world_totals on country_totals.year = world_totals.year
    left join exports_by_group
        on country_totals.year = exports_by_group.year
        and country_totals.iso3 = exports_by_group.iso3
        and world_group_totals.level = exports_by_group.level
        and world_group_totals.product_group = exports_by_group.product_group
),

indices as (
    select
        *,
        -- WITS Revealed Comparative Advantage Index (Balassa 1965):
        -- RCA_ij = (x_ij / X_i) / (x_wj / X_w)
        (exports_usd / country_exports_usd)
            / nullif(world_product_group_exports_usd / world_exports_usd, 0)
            as revealed_comparative_advantage_index
    from grid
),

final as (
    select
        cast(iso3 as string) as iso3,
        cast(year as integer) as year,
        cast(level as string) as level,
        cast(product_group as string) as product_group,
        cast(exports_usd as double) as exports_usd,
        cast(country_exports_usd as double) as country_exports_usd,
        cast(world_product_group_exports_usd as double) as world_product_group_exports_usd,
        cast(world_exports_usd as double) as world_exports_usd,
        cast(revealed_comparative_advantage_index as double) as revealed_comparative_advantage_index,
        cast(revealed_comparative_advantage_index > 1 as boolean) as has_comparative_advantage,
        cast(trade_source as string) as trade_source,
        cast(is_source_fallback as boolean) as is_source_fallback,
        cast(covered_reporter_count as integer) as covered_reporter_count,
        cast(world_trade_share_covered as double) as world_trade_share_covered
    from indices
    left join coverage using (year)
)

select * from final
