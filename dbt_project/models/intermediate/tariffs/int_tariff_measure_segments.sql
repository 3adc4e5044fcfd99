-- The days of int_tariff_measure_days collapsed into segments per month: within a
-- segment the same additional rate applies and the same all-in rates, so that an
-- HS6 row needs only a handful of segments to day-weight its additional duty.
-- Incremental by year (tag yearly).
with measure_days as (
    select * from {{ ref('int_tariff_measure_days') }}
    where true {{ in_run_years() }}
),

daily as (
    select
        importer_iso3,
        exporter_iso3,
        signature,
        day,
        coalesce(sum(rate_pct) filter (where rate_kind = 'additional'), 0) as additional_rate_pct,
        coalesce(list_sort(list(rate_pct) filter (where rate_kind = 'all_in')), []) as all_in_rates_pct,
        list_sort(list(measure_id)) as measure_ids,
    from measure_days
    group by all
),

final as (
    select
        importer_iso3,
        exporter_iso3,
        signature,
        cast(year(day) as integer) as year,
        cast(month(day) as integer) as month,
        additional_rate_pct,
        all_in_rates_pct,
        measure_ids,
        cast(count(*) as integer) as days_in_force,
    from daily
    group by all
)

select * from final
