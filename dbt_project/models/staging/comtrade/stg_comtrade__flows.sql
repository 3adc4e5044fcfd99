-- Bilateral goods records that are totals over every breakdown (macro
-- comtrade_records: partner2, customs procedure, mode of supply and mode of transport
-- at their total code), so they can be summed without double counting. Partner
-- World (code 0) is kept apart in stg_comtrade__world_totals.
with source as (
    select * from {{ source('comtrade', 'comtrade_flows') }}
),

records as (
    {{ comtrade_records('source') }}
),

final as (
    select * except (excluded_as)
    from records
    where excluded_as is null and partner_code != 0
)

select * from final
