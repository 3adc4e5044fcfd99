{{ config(meta={'dagster': {'ref': {'name': 'mart_bloc_trade_annual'}}}) }}
-- For CJK, the bloc's total exports in mart_bloc_trade_annual equal the sum of its
-- members' own exports, each taken straight from fct_trade (annual flows), with the
-- members of each year read from bridge_bloc_membership by the mart's rule (member
-- on 1 July). Also fails when a year with annual flows has no CJK row, or the other
-- way round. Tolerance 1e-6 relative. Returns the years that break it. Only the run's
-- years (in_run_years): a run for some years (a backfill's range) has built the mart's
-- rows of those years only, and fct_trade may hold others.
with trade as (
    select * from {{ ref('fct_trade') }}
    where true {{ in_run_years() }}
),

memberships as (
    select * from {{ ref('bridge_bloc_membership') }}
),

bloc_trade as (
    select * from {{ ref('mart_bloc_trade_annual') }}
    where true {{ in_run_years() }}
),

country_exports as (
    select year, exporter_iso3 as iso3, sum(value_usd) as exports_usd
    from trade
    where period_type = 'annual'
    group by year, exporter_iso3
),

years as (
    select distinct year from trade where period_type = 'annual'
),

cjk_members as (
    select distinct years.year, memberships.iso3
    from years
    inner join memberships
        on memberships.bloc_code = 'CJK'
        and {{ is_member_in_year('memberships', 'years.year') }}
),

members_summed as (
    select
        cjk_members.year,
        coalesce(sum(country_exports.exports_usd), 0) as members_exports_usd
    from cjk_members
    left join country_exports
        on cjk_members.year = country_exports.year
        and cjk_members.iso3 = country_exports.iso3
    group by cjk_members.year
),

cjk_rows as (
    select year, exports_usd from bloc_trade where bloc_code = 'CJK'
),

final as (
    select
        coalesce(members_summed.year, cjk_rows.year) as year,
        members_summed.members_exports_usd,
        cjk_rows.exports_usd as bloc_exports_usd
    from members_summed
    full outer join cjk_rows on members_summed.year = cjk_rows.year
    where members_summed.year is null
        or cjk_rows.year is null
        or abs(members_summed.members_exports_usd - cjk_rows.exports_usd)
            > 1e-6 * abs(members_summed.members_exports_usd)
)

select * from final
