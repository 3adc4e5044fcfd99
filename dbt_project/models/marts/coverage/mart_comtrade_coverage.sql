-- How complete each Comtrade download is: per reporter, period, flow and commodity,
-- the reporter's partner-World record against the sum of its bilateral records. A
-- download by reporter and partner (most people's) has a gap; it is reported here
-- and by the warning check assert_comtrade_world_equals_partner_sum, never a failure.
with reports as (
    select * from {{ ref('int_trade_reports_resolved') }}
    where true {{ in_run_years() }}
),

-- Summed in cents, as decimals: exact, so a complete download's gap is 0, not the float
-- noise of adding the same values in another order (which differs between engines and
-- between runs on many threads). Comtrade values carry at most cents.
world as (
    select
        reporter_iso3, period_key, period_type, year, month, flow, hs_level, hs_code,
        sum(cast(value_usd as decimal(38, 2))) as world_value_usd
    from reports
    where partner_iso3 = 'WLD'
    group by all
),

partners as (
    select
        reporter_iso3, period_key, flow, hs_code,
        sum(cast(value_usd as decimal(38, 2))) as partner_sum_usd,
        count(distinct partner_iso3) as partners_reported
    from reports
    where partner_iso3 != 'WLD'
    group by all
),

compared as (
    select
        world.*,
        coalesce(partners.partner_sum_usd, 0) as partner_sum_usd,
        world.world_value_usd - coalesce(partners.partner_sum_usd, 0) as gap_usd,
        coalesce(partners.partners_reported, 0) as partners_reported
    from world
    left join partners
        on world.reporter_iso3 = partners.reporter_iso3
        and world.period_key = partners.period_key
        and world.flow = partners.flow
        and world.hs_code = partners.hs_code
),

final as (
    select
        reporter_iso3,
        period_key,
        period_type,
        cast(year as integer) as year,
        cast(month as integer) as month,
        flow,
        hs_level,
        hs_code,
        cast(world_value_usd as double) as world_value_usd,
        cast(partner_sum_usd as double) as partner_sum_usd,
        cast(gap_usd as double) as gap_usd,
        cast(gap_usd as double) / nullif(cast(world_value_usd as double), 0) as gap_share,
        cast(partners_reported as bigint) as partners_reported,
        -- Comtrade books confidential and unallocated trade to special partners (e.g.
        -- 899 "Areas, nes"), so a complete download adds up: within 1% of World, or
        -- USD 1,000 for small totals
        abs(gap_usd) <= greatest(0.01 * abs(world_value_usd), 1000) as is_partner_sum_complete
    from compared
)

select * from final
