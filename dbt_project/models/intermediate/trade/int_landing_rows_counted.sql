-- What became of every landed trade row, counted per source, year and outcome:
-- which facts it reached, or why it reached none. Comtrade rows are classified from
-- stg_comtrade__records by the same rules as the models that carry them on
-- (comtrade_records' breakdown rule, int_trade_reports_resolved's flows and country
-- mapping, int_trade_flows_reported's HS6 export/import filter); BACI rows reach
-- fct_trade when both codes resolve. mart_landing_reach pivots it.
with comtrade as (
    select * from {{ ref('stg_comtrade__records') }}
    where true {{ in_run_years() }}
),

baci as (
    select * from {{ ref('stg_baci__flows') }}
    where true {{ in_run_years() }}
),

countries as (
    -- unique codes (tested); a code is unresolved when it is not null and not among them
    -- (left joins, not `not in (select ...)`: Spark fails to run that subquery in a select
    -- list over the union of rows a unit test gives)
    select reporter_code from {{ ref('int_countries_joined') }}
    where reporter_code is not null
),

comtrade_outcomes as (
    select
        'comtrade' as source,
        comtrade.year,
        case
            when comtrade.excluded_as is not null then comtrade.excluded_as
            when comtrade.flow_code not in ('X', 'M', 'RX', 'RM') then 'other flow code'
            when (comtrade.reporter_code is not null and reporters.reporter_code is null)
                or (comtrade.partner_code is not null and partners.reporter_code is null)
                then 'country code unresolved'
            when comtrade.partner_code = 0 then 'fct_trade_reported: partner World'
            when comtrade.flow_code in ('RX', 'RM') then 'fct_trade_reported: re-export or re-import'
            when length(comtrade.hs_code) != 6 then 'fct_trade_reported: not HS6'
            else 'fct_trade_reported and fct_trade'
        end as outcome,
        comtrade.value_usd
    from comtrade
    left join countries as reporters on comtrade.reporter_code = reporters.reporter_code
    left join countries as partners on comtrade.partner_code = partners.reporter_code
),

baci_outcomes as (
    select
        'baci' as source,
        baci.year,
        case
            when (baci.exporter_code is not null and exporters.reporter_code is null)
                or (baci.importer_code is not null and importers.reporter_code is null)
                then 'country code unresolved'
            else 'fct_trade'
        end as outcome,
        baci.value_usd
    from baci
    left join countries as exporters on baci.exporter_code = exporters.reporter_code
    left join countries as importers on baci.importer_code = importers.reporter_code
),

final as (
    select
        source,
        cast(year as integer) as year,
        outcome,
        cast(count(*) as bigint) as row_count,
        sum(value_usd) as value_usd
    from (select * from comtrade_outcomes union all select * from baci_outcomes)
    group by all
)

select * from final
