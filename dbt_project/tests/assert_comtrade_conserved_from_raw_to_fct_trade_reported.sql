{{ config(meta={'dagster': {'ref': {'name': 'fct_trade_reported'}}}) }}
-- Conservation from raw to fct_trade_reported, per year and period type: every landed
-- Comtrade goods record that is a total over every breakdown (macro comtrade_records)
-- and of a trade flow (X, M, RX, RM) is one row of fct_trade_reported, with its value:
-- row counts exactly, values within a relative 1e-9 (sums over differently ordered
-- rows). And mart_landing_reach accounts for every landed row: its columns add up to
-- the rows landed, and its rows_in_fct_trade_reported are the fact's rows.
-- Lists every total that disagrees, with both sides.
with source as (
    select * from {{ source('comtrade', 'comtrade_flows') }}
),

records as (
    {{ comtrade_records('source') }}
),

raw_totals as (
    select year, frequency as period_type, count(*) as row_count, sum(value_usd) as value_usd
    from records
    where excluded_as is null and flow_code in ('X', 'M', 'RX', 'RM')
    group by all
),

raw_landed as (
    select year, count(*) as row_count from records group by all
),

fct as (
    select year, period_type, count(*) as row_count, sum(value_usd) as value_usd
    from {{ ref('fct_trade_reported') }}
    group by all
),

fct_years as (
    select year, sum(row_count) as row_count from fct group by all
),

reach as (
    select
        year,
        rows_landed,
        rows_in_fct_trade_reported,
        rows_in_fct_trade_reported_and_fct_trade + rows_in_fct_trade_reported_not_hs6
            + rows_in_fct_trade_reported_world + rows_in_fct_trade_reported_re_flows
            + rows_excluded_breakdown + rows_excluded_not_goods + rows_excluded_other_flow
            + rows_excluded_unresolved_country as rows_accounted
    from {{ ref('mart_landing_reach') }}
    where source = 'comtrade'
),

comparisons as (
    select 'comtrade rows raw -> fct_trade_reported' as check_name, year, period_type,
        raw_totals.row_count as expected, fct.row_count as actual, 0.0 as tolerance
    from raw_totals full join fct using (year, period_type)
    union all
    select 'comtrade value raw -> fct_trade_reported', year, period_type,
        raw_totals.value_usd, fct.value_usd, 1e-9
    from raw_totals full join fct using (year, period_type)
    union all
    select 'landed rows raw -> mart_landing_reach', year, 'all',
        raw_landed.row_count, reach.rows_landed, 0.0
    from raw_landed full join reach using (year)
    union all
    select 'mart_landing_reach: every landed row accounted for', year, 'all',
        rows_landed, rows_accounted, 0.0
    from reach
    union all
    select 'mart_landing_reach -> fct_trade_reported rows', year, 'all',
        reach.rows_in_fct_trade_reported, fct_years.row_count, 0.0
    from reach full join fct_years using (year)
)

select *
from comparisons
where abs(coalesce(actual, 0) - coalesce(expected, 0)) > tolerance * greatest(abs(coalesce(expected, 0)), 1)
    {{ in_run_years() }}
