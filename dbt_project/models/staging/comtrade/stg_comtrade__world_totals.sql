-- Partitioned by year with the trade models it feeds (tag yearly, see fct_trade).
{{ config(tags=['yearly']) }}
-- The partner-World records (partnerCode 0): the reporter's total over all partners,
-- used to check that partners add up, never added to the bilateral rows.
with source as (
    select * from {{ source('comtrade', 'comtrade_flows') }}
),

totals as (
    {{ comtrade_breakdown_totals('source') }}
)

select * from totals where partner_code = 0
