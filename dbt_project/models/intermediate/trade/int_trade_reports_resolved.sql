-- Every Comtrade goods record that is a total over every breakdown (the bilateral
-- records of stg_comtrade__flows and the partner-World records of
-- stg_comtrade__world_totals), at its own product level, with the reporter and
-- partner mapped to ISO3 (World is WLD) and the flow named. Only the four trade flows
-- are kept: X export, M import, RX re-export, RM re-import (mart_landing_reach counts
-- any other flow code). fct_trade_reported publishes it; mart_comtrade_coverage
-- compares its World rows with the partner sums.
with bilateral as (
    select * from {{ ref('stg_comtrade__flows') }}
    where true {{ in_run_years() }}
),

world as (
    select * from {{ ref('stg_comtrade__world_totals') }}
    where true {{ in_run_years() }}
),

countries as (
    select iso3, reporter_code from {{ ref('int_countries_joined') }}
),

records as (
    select * from bilateral
    union all
    select * from world
),

named as (
    select
        *,
        case flow_code
            when 'X' then 'export'
            when 'M' then 'import'
            when 'RX' then 're-export'
            when 'RM' then 're-import'
        end as flow
    from records
),

final as (
    select
        reporters.iso3 as reporter_iso3,
        partners.iso3 as partner_iso3,
        named.flow,
        named.flow_code,
        case when named.frequency = 'annual' then cast(named.year as string)
             else cast(named.year as string) || '-' || lpad(cast(named.month as string), 2, '0')
        end as period_key,
        named.frequency as period_type,
        named.year,
        named.month,
        -- the product level from the code itself: files fetched without descriptions
        -- leave aggrLevel empty
        cast(case when named.hs_code = 'TOTAL' then 0 else length(named.hs_code) end as integer) as hs_level,
        named.hs_code,
        named.hs_edition,
        named.value_usd,
        named.cif_value_usd,
        named.fob_value_usd,
        named.net_weight_kg,
        named.source_file
    from named
    inner join countries as reporters on named.reporter_code = reporters.reporter_code
    inner join countries as partners on named.partner_code = partners.reporter_code
    where named.flow is not null
)

select * from final
