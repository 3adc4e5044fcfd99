-- Every reported Comtrade flow at its own product level (TOTAL, HS2, HS4 or HS6),
-- reporter x partner x flow x period, World kept as partner WLD, breakdown rows left
-- out (a breakdown never adds to its total). Incremental by year.
-- The dimensions are built first, so the relationship checks run with the fact:
-- depends_on: {{ ref('dim_country') }}
-- depends_on: {{ ref('dim_period') }}
with reports as (
    select * from {{ ref('int_trade_reports_resolved') }}
    where true {{ in_run_years() }}
),

final as (
    select
        reporter_iso3,
        partner_iso3,
        flow,
        period_key,
        period_type,
        cast(year as integer) as year,
        cast(month as integer) as month,
        hs_level,
        hs_code,
        hs_edition,
        value_usd,
        cif_value_usd,
        fob_value_usd,
        net_weight_kg,
        source_file
    from reports
)

select * from final
