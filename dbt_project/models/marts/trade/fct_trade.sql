-- Incremental by year: a run for some years (a yearly partition's, macro in_run_years)
-- recomputes and replaces only those years; a run without years, every year.
-- The dimensions are built first, so the relationship checks (and the check that
-- dim_product covers every HS6 code) run with the fact:
-- depends_on: {{ ref('dim_country') }}
-- depends_on: {{ ref('dim_period') }}
-- depends_on: {{ ref('dim_product') }}
with reconciled as (
    select * from {{ ref('int_trade_flows_reconciled') }}
    where true {{ in_run_years() }}
),

final as (
    select
        period_key,
        period_type,
        cast(year as integer) as year,
        cast(month as integer) as month,
        exporter_iso3,
        importer_iso3,
        hs6,
        hs_edition,
        value_usd,
        value_source,
        net_weight_kg,
        exporter_reported_value_usd,
        importer_reported_value_usd,
        mirror_gap_usd,
        baci_value_usd
    from reconciled
)

select * from final
