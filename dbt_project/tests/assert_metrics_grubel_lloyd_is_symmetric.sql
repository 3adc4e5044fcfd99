-- mart_intra_industry_trade holds each pair from both sides: the reporter's exports
-- to the partner are the partner's imports from it, and the Grubel-Lloyd index is the
-- same from both sides. Fails on a pair seen from one side only, or whose two rows
-- disagree (beyond 1e-9 on the index, 1e-6 relative on values).
-- Returns the rows that break it.
with iit as (
    select * from {{ ref('mart_intra_industry_trade') }}
),

final as (
    select
        coalesce(reporter_side.reporter_iso3, partner_side.partner_iso3) as reporter_iso3,
        coalesce(reporter_side.partner_iso3, partner_side.reporter_iso3) as partner_iso3,
        coalesce(reporter_side.year, partner_side.year) as year,
        reporter_side.exports_usd,
        partner_side.imports_usd as partner_imports_usd,
        reporter_side.grubel_lloyd_index,
        partner_side.grubel_lloyd_index as partner_grubel_lloyd_index
    from iit as reporter_side
    full outer join iit as partner_side
        on reporter_side.reporter_iso3 = partner_side.partner_iso3
        and reporter_side.partner_iso3 = partner_side.reporter_iso3
        and reporter_side.year = partner_side.year
    where reporter_side.reporter_iso3 is null
        or partner_side.reporter_iso3 is null
        or abs(reporter_side.exports_usd - partner_side.imports_usd)
            > 1e-6 * abs(reporter_side.exports_usd)
        or abs(coalesce(reporter_side.grubel_lloyd_index, -1)
            - coalesce(partner_side.grubel_lloyd_index, -1)) > 1e-9
)

select * from final
