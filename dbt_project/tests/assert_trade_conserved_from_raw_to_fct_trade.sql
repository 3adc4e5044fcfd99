{{ config(meta={'dagster': {'ref': {'name': 'fct_trade'}}}) }}
-- Conservation of trade totals per source, year and period type, from the landed
-- raw rows to fct_trade. Lists every total that disagrees, with both sides.
-- - BACI: raw.baci_flows -> stg_baci__flows -> fct_trade.baci_value_usd. Only the
--   unit changes (v is thousands of USD), so rows and values agree exactly.
-- - Comtrade: the HS6 export (X) and import (M) reports of staging -> fct_trade's
--   exporter_ and importer_reported_value_usd, and the distinct flows reported ->
--   the rows carrying a report: exact.
-- - Reconciliation: fct_trade.value_usd of the flows both sides report, against the
--   exporters' FOB reports of the same flows, within 10%. The CIF/FOB margin is
--   already removed (var cif_fob_factor) and mirror gaps largely net out over a
--   year, so a wider gap means a unit, code or mapping error.
-- "Exactly" allows a relative 1e-9: sums over differently ordered rows differ in
-- the last bits of a double.
with raw_baci as (
    select cast(t as integer) as year, count(*) as row_count, sum(v) * 1000 as value_usd
    from {{ source('baci', 'baci_flows') }}
    group by all
),

staged_baci as (
    select year, count(*) as row_count, sum(value_usd) as value_usd
    from {{ ref('stg_baci__flows') }}
    group by all
),

fct_baci as (
    select year, count(*) as row_count, sum(baci_value_usd) as value_usd
    from {{ ref('fct_trade') }}
    where baci_value_usd is not null
    group by all
),

staged_comtrade as (
    select
        year,
        frequency as period_type,
        sum(value_usd) filter (where flow_code = 'X') as exports_usd,
        sum(value_usd) filter (where flow_code = 'M') as imports_usd
    from {{ ref('stg_comtrade__flows') }}
    where flow_code in ('X', 'M') and length(hs_code) = 6
    group by all
),

-- The same flows counted once whichever side reported them.
staged_comtrade_flows as (
    select year, frequency as period_type, count(*) as row_count
    from (
        select distinct
            year,
            month,
            frequency,
            case when flow_code = 'X' then reporter_code else partner_code end as exporter_code,
            case when flow_code = 'X' then partner_code else reporter_code end as importer_code,
            hs_code
        from {{ ref('stg_comtrade__flows') }}
        where flow_code in ('X', 'M') and length(hs_code) = 6
    )
    group by all
),

fct_comtrade as (
    select
        year,
        period_type,
        count(*) filter (
            where exporter_reported_value_usd is not null or importer_reported_value_usd is not null
        ) as row_count,
        sum(exporter_reported_value_usd) as exports_usd,
        sum(importer_reported_value_usd) as imports_usd,
        sum(value_usd) filter (
            where exporter_reported_value_usd is not null and importer_reported_value_usd is not null
        ) as reconciled_usd,
        sum(exporter_reported_value_usd) filter (
            where exporter_reported_value_usd is not null and importer_reported_value_usd is not null
        ) as exporter_fob_usd
    from {{ ref('fct_trade') }}
    group by all
),

comparisons as (
    select 'baci rows raw -> staging' as check_name, year, 'annual' as period_type,
        raw_baci.row_count as expected, staged_baci.row_count as actual, 0.0 as tolerance
    from raw_baci full join staged_baci using (year)
    union all
    select 'baci value raw -> staging', year, 'annual', raw_baci.value_usd, staged_baci.value_usd, 1e-9
    from raw_baci full join staged_baci using (year)
    union all
    select 'baci rows staging -> fct_trade', year, 'annual', staged_baci.row_count, fct_baci.row_count, 0.0
    from staged_baci full join fct_baci using (year)
    union all
    select 'baci value staging -> fct_trade', year, 'annual', staged_baci.value_usd, fct_baci.value_usd, 1e-9
    from staged_baci full join fct_baci using (year)
    union all
    select 'comtrade flows staging -> fct_trade', year, period_type,
        staged_comtrade_flows.row_count, fct_comtrade.row_count, 0.0
    from staged_comtrade_flows full join fct_comtrade using (year, period_type)
    union all
    select 'comtrade exports staging -> fct_trade', year, period_type,
        staged_comtrade.exports_usd, fct_comtrade.exports_usd, 1e-9
    from staged_comtrade full join fct_comtrade using (year, period_type)
    union all
    select 'comtrade imports staging -> fct_trade', year, period_type,
        staged_comtrade.imports_usd, fct_comtrade.imports_usd, 1e-9
    from staged_comtrade full join fct_comtrade using (year, period_type)
    union all
    select 'reconciled value vs exporter FOB', year, period_type,
        exporter_fob_usd, reconciled_usd, 0.10
    from fct_comtrade
)

select *
from comparisons
where abs(coalesce(actual, 0) - coalesce(expected, 0)) > tolerance * greatest(abs(coalesce(expected, 0)), 1)
    {{ in_run_years() }}  -- a yearly run checks its years (DuckDB pushes this into each total)
