-- Year x exporter x importer: the annual flows of each country pair summed over HS6,
-- with the pair's value the year before (null when the pair had no flow then). The one
-- home of two coverage rules: which countries a year observes (in BACI, or reporting
-- themselves; mart_trade_coverage) and which flows compare like for like with the year
-- before (the pairs with a flow in both years; mart_trade_coverage,
-- mart_bloc_trade_annual). The year before is read from int_trade_flows_reconciled.
with reconciled as (
    select * from {{ ref('int_trade_flows_reconciled') }}
    where period_type = 'annual' {{ in_run_years(years_before=1) }}
),

pairs as (
    select
        year,
        exporter_iso3,
        importer_iso3,
        sum(value_usd) as value_usd,
        sum(value_usd) filter (where value_source = 'baci') as baci_value_usd,
        bool_or(exporter_reported_value_usd is not null) as is_reported_by_exporter,
        bool_or(importer_reported_value_usd is not null) as is_reported_by_importer
    from reconciled
    group by year, exporter_iso3, importer_iso3
),

final as (
    select
        cast(this_year.year as integer) as year,
        this_year.exporter_iso3,
        this_year.importer_iso3,
        this_year.value_usd,
        this_year.baci_value_usd,
        this_year.is_reported_by_exporter,
        this_year.is_reported_by_importer,
        previous_year.value_usd as previous_year_value_usd
    from pairs as this_year
    left join pairs as previous_year
        on this_year.year - 1 = previous_year.year
        and this_year.exporter_iso3 = previous_year.exporter_iso3
        and this_year.importer_iso3 = previous_year.importer_iso3
    where true {{ in_run_years('this_year.year') }}
)

select * from final
