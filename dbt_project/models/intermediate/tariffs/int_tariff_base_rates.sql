-- MFN and preferential rates for every importer x exporter x HS6 x year that trades
-- or has a preference. A year beyond the tariff files' coverage (WITS lags, e.g.
-- 2025) takes the latest earlier schedule: tariff_year says which. Incremental by
-- year (tag yearly).
with mfn_source as (
    select * from {{ ref('stg_wits__mfn_tariffs') }} where hs_edition = '{{ var("hs_edition") }}'
),

preferential_source as (
    select * from {{ ref('stg_wits__preferential_tariffs') }} where hs_edition = '{{ var("hs_edition") }}'
),

countries as (
    select iso3, iso_numeric from {{ ref('int_countries_joined') }}
),

mfn as (
    select importers.iso3 as importer_iso3, mfn_source.year as tariff_year, mfn_source.hs6, mfn_source.mfn_rate_pct
    from mfn_source
    inner join countries as importers on mfn_source.importer_iso_numeric = importers.iso_numeric
),

preferential as (
    select
        importers.iso3 as importer_iso3,
        exporters.iso3 as exporter_iso3,
        preferential_source.year as tariff_year,
        preferential_source.hs6,
        preferential_source.preferential_rate_pct
    from preferential_source
    inner join countries as importers on preferential_source.importer_iso_numeric = importers.iso_numeric
    inner join countries as exporters on preferential_source.exporter_iso_numeric = exporters.iso_numeric
),

traded as (
    -- the traded universe: the annual flows of the reconciled intermediate (fct_trade's
    -- rows, one each already: no distinct over millions of rows)
    select year, importer_iso3, exporter_iso3, hs6
    from {{ ref('int_trade_flows_reconciled') }}
    where period_type = 'annual' {{ in_run_years() }}
),

universe as (
    select * from traded
    union all
    select distinct tariff_year, importer_iso3, exporter_iso3, hs6
    from preferential
    where not exists (
        select 1 from traded
        where traded.year = preferential.tariff_year
            and traded.importer_iso3 = preferential.importer_iso3
            and traded.exporter_iso3 = preferential.exporter_iso3
            and traded.hs6 = preferential.hs6
    )
    {{ in_run_years('tariff_year') }}
),

with_mfn as (
    select universe.*, mfn.tariff_year, mfn.mfn_rate_pct
    from universe
    {{ asof_inner_join('universe', 'year', 'mfn', 'mfn', 'tariff_year', ['importer_iso3', 'hs6']) }}
),

final as (
    select
        with_mfn.year,
        with_mfn.importer_iso3,
        with_mfn.exporter_iso3,
        with_mfn.hs6,
        with_mfn.tariff_year,
        with_mfn.mfn_rate_pct,
        preferential.preferential_rate_pct,
        -- WITS "effectively applied" (AHS): the preferential rate where one exists, else MFN
        coalesce(preferential.preferential_rate_pct, with_mfn.mfn_rate_pct) as applied_rate_pct
    from with_mfn
    left join preferential
        on with_mfn.importer_iso3 = preferential.importer_iso3
        and with_mfn.exporter_iso3 = preferential.exporter_iso3
        and with_mfn.hs6 = preferential.hs6
        and with_mfn.tariff_year = preferential.tariff_year
)

select * from final
