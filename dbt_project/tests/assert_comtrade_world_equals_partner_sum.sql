{{ config(meta={'dagster': {'ref': {'name': 'stg_comtrade__world_totals'}}}) }}
-- In Comtrade, a reporter's partner-World record is its total over all partners:
-- for each reporter, period, flow and commodity, World equals the sum of the
-- bilateral records within 1% (or USD 1,000 for small totals). Comtrade books
-- confidential and unallocated trade to special partners (e.g. 899 "Areas, nes"),
-- so a complete file adds up; a wider gap means missing partners (a truncated or
-- partial download) or double counting. Lists every offending total.
with world as (
    select reporter_code, frequency, year, month, flow_code, hs_code, sum(value_usd) as world_value_usd
    from {{ ref('stg_comtrade__world_totals') }}
    group by all
),

partners as (
    select
        reporter_code, frequency, year, month, flow_code, hs_code,
        sum(value_usd) as partner_sum_usd,
        count(*) as partner_records,
    from {{ ref('stg_comtrade__flows') }}
    group by all
),

compared as (
    select
        world.*,
        coalesce(partners.partner_sum_usd, 0) as partner_sum_usd,
        coalesce(partners.partner_records, 0) as partner_records,
        world.world_value_usd - coalesce(partners.partner_sum_usd, 0) as gap_usd,
    from world
    left join partners
        on world.reporter_code = partners.reporter_code
        and world.frequency = partners.frequency
        and world.year = partners.year
        and world.month is not distinct from partners.month
        and world.flow_code = partners.flow_code
        and world.hs_code = partners.hs_code
)

select *
from compared
where abs(gap_usd) > greatest(0.01 * abs(world_value_usd), 1000)
order by abs(gap_usd) desc
