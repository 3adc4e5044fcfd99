-- Comtrade HS6 records turned into directed flows: an export record (X) is the
-- exporter's report of exporter -> partner; an import record (M) is the importer's
-- report of partner -> importer. Re-exports and re-imports are left out.
with comtrade as (
    select * from {{ ref('stg_comtrade__flows') }}
    where true {{ in_run_years() }}
),

countries as (
    select iso3, reporter_code from {{ ref('int_countries_joined') }}
),

hs6_records as (
    select *
    from comtrade
    where flow_code in ('X', 'M')
      and length(hs_code) = 6
),

directed as (
    select
        case when frequency = 'annual' then cast(year as string)
             else cast(year as string) || '-' || lpad(cast(month as string), 2, '0') end as period_key,
        frequency as period_type,
        year,
        month,
        case when flow_code = 'X' then reporter_code else partner_code end as exporter_code,
        case when flow_code = 'X' then partner_code else reporter_code end as importer_code,
        hs_code as hs6,
        hs_edition,
        flow_code,
        value_usd,
        net_weight_kg
    from hs6_records
),

final as (
    select
        period_key,
        period_type,
        year,
        month,
        exporters.iso3 as exporter_iso3,
        importers.iso3 as importer_iso3,
        hs6,
        max(hs_edition) as hs_edition,
        sum(value_usd) filter (where flow_code = 'X') as exporter_reported_value_usd,
        sum(value_usd) filter (where flow_code = 'M') as importer_reported_value_usd,
        sum(net_weight_kg) filter (where flow_code = 'X') as exporter_reported_net_weight_kg,
        sum(net_weight_kg) filter (where flow_code = 'M') as importer_reported_net_weight_kg
    from directed
    inner join countries as exporters on directed.exporter_code = exporters.reporter_code
    inner join countries as importers on directed.importer_code = importers.reporter_code
    group by all
)

select * from final
