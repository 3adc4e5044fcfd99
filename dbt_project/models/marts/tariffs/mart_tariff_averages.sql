-- Importer x partner x year: simple and trade-weighted averages of the tariffs the
-- partner's goods face (WITS definitions), over the HS6 lines of fct_tariff.
with tariffs as (
    select * from {{ ref('fct_tariff') }}
    where true {{ in_run_years() }}
),

imports as (
    select year, importer_iso3, exporter_iso3, hs6, value_usd
    from {{ ref('fct_trade') }}
    where period_type = 'annual' {{ in_run_years() }}
),

lines as (
    select tariffs.*, imports.value_usd
    from tariffs
    left join imports
        on tariffs.year = imports.year
        and tariffs.importer_iso3 = imports.importer_iso3
        and tariffs.exporter_iso3 = imports.exporter_iso3
        and tariffs.hs6 = imports.hs6
),

final as (
    select
        importer_iso3,
        exporter_iso3 as partner_iso3,
        cast(year as integer) as year,
        cast(count(*) as integer) as hs6_line_count,
        avg(mfn_rate_pct) as mfn_simple_average_pct,
        avg(applied_rate_pct) as applied_simple_average_pct,
        avg(total_rate_pct) as total_simple_average_pct,
        sum(mfn_rate_pct * value_usd) / nullif(sum(value_usd), 0) as mfn_trade_weighted_pct,
        sum(applied_rate_pct * value_usd) / nullif(sum(value_usd), 0) as applied_trade_weighted_pct,
        sum(total_rate_pct * value_usd) / nullif(sum(value_usd), 0) as total_trade_weighted_pct,
        coalesce(sum(value_usd), 0) as imports_usd
    from lines
    group by importer_iso3, exporter_iso3, year
)

select * from final
