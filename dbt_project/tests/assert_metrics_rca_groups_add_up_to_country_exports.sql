-- In mart_country_rca, each grouping level partitions a country's exports: over the
-- product groups of one level, exports_usd adds up to country_exports_usd, and the
-- world's group exports add up to world_exports_usd (nothing lost or counted twice by
-- the HS2 or sector grouping). Tolerance 1e-6 relative. Returns the rows that break it.
with rca as (
    select * from {{ ref('mart_country_rca') }}
),

sums as (
    select
        iso3,
        year,
        level,
        sum(exports_usd) as groups_exports_usd,
        max(country_exports_usd) as country_exports_usd,
        sum(world_product_group_exports_usd) as groups_world_exports_usd,
        max(world_exports_usd) as world_exports_usd
    from rca
    group by iso3, year, level
),

final as (
    select *
    from sums
    where abs(groups_exports_usd - country_exports_usd) > 1e-6 * abs(country_exports_usd)
        or abs(groups_world_exports_usd - world_exports_usd) > 1e-6 * abs(world_exports_usd)
)

select * from final
