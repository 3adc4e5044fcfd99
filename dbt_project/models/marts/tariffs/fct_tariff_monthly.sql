-- Month x importer x exporter x HS6: the additional duty of the measures in force,
-- day-weighted within the month, so monthly flows show the step at each measure's
-- start. Months without any measure in force have no row (additional duty 0).
with monthly as (
    select * from {{ ref('int_tariff_additional_monthly') }}
    where true {{ in_run_years() }}
),

final as (
    select
        year || '-' || lpad(cast(month as varchar), 2, '0') as period_key,
        cast(year as integer) as year,
        cast(month as integer) as month,
        importer_iso3,
        exporter_iso3,
        hs6,
        round(additional_rate_pct, 6) as additional_rate_pct,
        array_to_string(measure_ids, ',') as measure_ids,
    from monthly
)

select * from final
