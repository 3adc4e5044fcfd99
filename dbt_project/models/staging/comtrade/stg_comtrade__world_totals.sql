-- The partner-World records (partnerCode 0) that are totals over every breakdown:
-- the reporter's total over all partners, compared with the partner sum in
-- mart_comtrade_coverage and kept as partner WLD in fct_trade_reported, never added
-- to the bilateral rows.
with source as (
    select * from {{ source('comtrade', 'comtrade_flows') }}
),

records as (
    {{ comtrade_records('source') }}
),

final as (
    select * except (excluded_as)
    from records
    where excluded_as is null and partner_code = 0
)

select * from final
