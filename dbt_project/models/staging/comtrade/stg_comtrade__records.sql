-- Every landed Comtrade record, breakdowns included, with excluded_as saying why a
-- record is left out of the facts (null for the totals that stg_comtrade__flows and
-- stg_comtrade__world_totals keep). mart_landing_reach counts from it.
with source as (
    select * from {{ source('comtrade', 'comtrade_flows') }}
),

records as (
    {{ comtrade_records('source') }}
)

select * from records
