-- Month x exporter x HS6, importer USA: the additional US duty (total minus base rate) of
-- fct_us_tariff_schedule, day-weighted within the month and averaged over the HS6's HTS8
-- lines with equal weights (the warehouse has no trade below HS6). Months of the years
-- with trade, from 2018; a month without any additional duty has no row (0).
with schedule as (
    select * from {{ ref('fct_us_tariff_schedule') }}
),

trade_years as (
    select distinct year from {{ ref('int_tariff_base_rates') }}
    where importer_iso3 = 'USA' {{ in_run_years() }}
),

months as (
    select
        month_start,
        last_day(month_start) as month_end,
        cast(year(month_start) as integer) as year,
        cast(month(month_start) as integer) as month
    from (
        -- every month from January 2018 to December of var last_year
        select make_date(cast(y as integer), cast(m as integer), 1) as month_start
        from range(2018, {{ var('last_year') }} + 1) as years(y)
        cross join range(1, 13) as month_numbers(m)
    ) as month_starts
    where year(month_start) in (select year from trade_years)
),

line_months as (
    select
        schedule.exporter_iso3,
        schedule.hs6,
        schedule.hts8,
        months.year,
        months.month,
        day(months.month_end) as days_in_month,
        sum(
            ({{ dbt.datediff(
                'greatest(schedule.valid_from, months.month_start)',
                'least(coalesce(schedule.valid_to, months.month_end), months.month_end)',
                'day'
            ) }} + 1)
            * (schedule.total_rate_pct - schedule.base_rate_pct)
        ) as additional_rate_days,
        {{ comma_list_union('schedule.measure_ids') }} as measure_ids
    from schedule
    inner join months
        on schedule.valid_from <= months.month_end
        and coalesce(schedule.valid_to, months.month_end) >= months.month_start
    group by all
),

final as (
    select
        year || '-' || lpad(cast(month as string), 2, '0') as period_key,
        year,
        month,
        'USA' as importer_iso3,
        exporter_iso3,
        hs6,
        {{ round_double('sum(additional_rate_days) / (count(*) * any_value(days_in_month))', 6) }} as additional_rate_pct,
        count(*) filter (where additional_rate_days > 0) / count(*) as share_of_lines_with_additional_duty,
        {{ comma_list_union('measure_ids') }} as measure_ids
    from line_months
    group by year, month, exporter_iso3, hs6
    having sum(additional_rate_days) > 0
)

select * from final
