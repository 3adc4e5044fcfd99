-- Year x importer x exporter x HS6: MFN, preferential, effectively applied (AHS) and
-- additional rates, and the total. The additional rate is the measures in force,
-- day-weighted over the year (a 25% duty from 2025-04-03 counts 25 x 273/365).
with base_rates as (
    select * from {{ ref('int_tariff_base_rates') }}
    where true {{ in_run_years() }}
),

monthly_additional as (
    select * from {{ ref('int_tariff_additional_monthly') }}
    where true {{ in_run_years() }}
),

additional as (
    -- days x rate over the year's months, over the days in the year
    select
        year,
        importer_iso3,
        exporter_iso3,
        hs6,
        -- to 1e-6 of a percentage point: day-weighting leaves floating-point dust
        round(sum(additional_rate_days) / dayofyear(make_date(year, 12, 31)), 6) as additional_rate_pct,
        list_sort(list_distinct(flatten(list(measure_ids)))) as measure_ids,
    from monthly_additional
    group by year, importer_iso3, exporter_iso3, hs6
),

final as (
    select
        cast(base_rates.year as integer) as year,
        base_rates.importer_iso3,
        base_rates.exporter_iso3,
        base_rates.hs6,
        cast(base_rates.tariff_year as integer) as tariff_year,
        base_rates.mfn_rate_pct,
        base_rates.preferential_rate_pct,
        base_rates.applied_rate_pct,
        coalesce(additional.additional_rate_pct, 0) as additional_rate_pct,
        round(base_rates.applied_rate_pct + coalesce(additional.additional_rate_pct, 0), 6) as total_rate_pct,
        coalesce(additional.additional_rate_pct, 0) > 0 as has_additional_duty,
        coalesce(array_to_string(additional.measure_ids, ','), '') as measure_ids,
    from base_rates
    left join additional
        on base_rates.year = additional.year
        and base_rates.importer_iso3 = additional.importer_iso3
        and base_rates.exporter_iso3 = additional.exporter_iso3
        and base_rates.hs6 = additional.hs6
)

select * from final
