-- Partitioned by year with the trade models it feeds (tag yearly, see fct_trade).
{{ config(tags=['yearly']) }}
-- Bilateral goods records that are totals over every breakdown. Comtrade repeats a
-- flow by partner2, customs procedure, mode of supply and mode of transport; only
-- the total code of each (0, C00, '0', 0; null in older files) is kept, because
-- adding breakdown rows to their totals double counts. Partner World (code 0) is
-- kept apart in stg_comtrade__world_totals.
with source as (
    select * from {{ source('comtrade', 'comtrade_flows') }}
),

totals as (
    {{ comtrade_breakdown_totals('source') }}
)

select * from totals where partner_code != 0
