-- The additional duty of each importer x exporter x HS6, day-weighted within each
-- month: sum over the month's segments of days x (additional rates + the all-in
-- rates' max(0, rate - applied rate)) / days in the month. The applied (AHS) rate is
-- the base of the year.
with base_rates as (
    select * from {{ ref('int_tariff_base_rates') }}
    where true {{ in_run_years() }}
),

signatures as (
    select signature, unnest(hs6_codes) as hs6 from {{ ref('int_tariff_hs6_signatures') }}
),

segments as (
    select * from {{ ref('int_tariff_measure_segments') }}
),

weighted as (
    select
        segments.year,
        segments.month,
        base_rates.importer_iso3,
        base_rates.exporter_iso3,
        base_rates.hs6,
        segments.days_in_force * (
            segments.additional_rate_pct
            + coalesce(list_sum(list_transform(segments.all_in_rates_pct,
                lambda r: greatest(0, r - base_rates.applied_rate_pct))), 0)
        ) as rate_days,
        segments.measure_ids,
    from base_rates
    inner join signatures on base_rates.hs6 = signatures.hs6
    inner join segments
        on base_rates.importer_iso3 = segments.importer_iso3
        and base_rates.exporter_iso3 = segments.exporter_iso3
        and signatures.signature = segments.signature
        and base_rates.year = segments.year
),

final as (
    select
        year,
        month,
        importer_iso3,
        exporter_iso3,
        hs6,
        sum(rate_days) / day(last_day(make_date(year, month, 1))) as additional_rate_pct,
        -- days x rate summed over the month: fct_tariff adds these up over the year
        sum(rate_days) as additional_rate_days,
        list_sort(list_distinct(flatten(list(measure_ids)))) as measure_ids,
    from weighted
    group by year, month, importer_iso3, exporter_iso3, hs6
)

select * from final
