-- One flow per period x exporter x importer x HS6, from the Comtrade reports of
-- both sides and, for annual periods, CEPII BACI. The rule for value_usd (see the
-- model's YAML): BACI where present; else the importer's CIF value brought to FOB
-- by dividing by var cif_fob_factor; else the exporter's FOB value.
with reported as (
    select * from {{ ref('int_trade_flows_reported') }}
    where true {{ in_run_years() }}
),

baci as (
    select * from {{ ref('stg_baci__flows') }}
    where true {{ in_run_years() }}
),

countries as (
    select iso3, reporter_code from {{ ref('int_countries_joined') }}
),

baci_flows as (
    select
        cast(baci.year as string) as period_key,
        'annual' as period_type,
        baci.year,
        cast(null as integer) as month,
        exporters.iso3 as exporter_iso3,
        importers.iso3 as importer_iso3,
        baci.hs6,
        baci.value_usd as baci_value_usd,
        baci.net_weight_kg as baci_net_weight_kg
    from baci
    inner join countries as exporters on baci.exporter_code = exporters.reporter_code
    inner join countries as importers on baci.importer_code = importers.reporter_code
),

joined as (
    select
        coalesce(reported.period_key, baci_flows.period_key) as period_key,
        coalesce(reported.period_type, baci_flows.period_type) as period_type,
        coalesce(reported.year, baci_flows.year) as year,
        coalesce(reported.month, baci_flows.month) as month,
        coalesce(reported.exporter_iso3, baci_flows.exporter_iso3) as exporter_iso3,
        coalesce(reported.importer_iso3, baci_flows.importer_iso3) as importer_iso3,
        coalesce(reported.hs6, baci_flows.hs6) as hs6,
        reported.hs_edition,
        reported.exporter_reported_value_usd,
        reported.importer_reported_value_usd,
        reported.exporter_reported_net_weight_kg,
        reported.importer_reported_net_weight_kg,
        baci_flows.baci_value_usd,
        baci_flows.baci_net_weight_kg
    from reported
    full outer join baci_flows
        on reported.period_key = baci_flows.period_key
        and reported.exporter_iso3 = baci_flows.exporter_iso3
        and reported.importer_iso3 = baci_flows.importer_iso3
        and reported.hs6 = baci_flows.hs6
),

final as (
    select
        *,
        case
            when baci_value_usd is not null then baci_value_usd
            when importer_reported_value_usd is not null
                then importer_reported_value_usd / {{ var('cif_fob_factor') }}
            else exporter_reported_value_usd
        end as value_usd,
        case
            when baci_value_usd is not null then 'baci'
            when importer_reported_value_usd is not null then 'importer_cif_to_fob'
            else 'exporter_fob'
        end as value_source,
        case
            when baci_value_usd is not null then baci_net_weight_kg
            else coalesce(importer_reported_net_weight_kg, exporter_reported_net_weight_kg)
        end as net_weight_kg,
        importer_reported_value_usd - exporter_reported_value_usd as mirror_gap_usd
    from joined
)

select * from final
