-- Year x importer x exporter x HS6: MFN, preferential and effectively applied (AHS) rates
-- from WITS, the additional US duties of fct_us_tariff_schedule (through the months of
-- fct_tariff_monthly, day-weighted over the year: a 25% duty from 2025-04-03 counts
-- 25 x 273/365), and the total. Only the US imposes additional duties here.
-- Built after dim_product (fed by BACI's yearly files), so its hs6 relationship check
-- finds it built in the UI's backfill (tests/test_dbt_graph.py):
-- depends_on: {{ ref('dim_product') }}
with base_rates as (
    select * from {{ ref('int_tariff_base_rates') }}
    where true {{ in_run_years() }}
),

monthly as (
    select * from {{ ref('fct_tariff_monthly') }}
    where true {{ in_run_years() }}
),

scheduled as (
    -- the exporter x HS6 pairs the US schedule covers (an HS6 of the landed HTS)
    select distinct exporter_iso3, hs6 from {{ ref('fct_us_tariff_schedule') }}
),

additional as (
    select
        year,
        importer_iso3,
        exporter_iso3,
        hs6,
        -- to 1e-6 of a percentage point: day-weighting leaves floating-point dust
        {{ round_double(
            'sum(additional_rate_pct * day(last_day(make_date(year, month, 1))))
            / dayofyear(make_date(year, 12, 31))', 6) }} as additional_rate_pct,
        sum(share_of_lines_with_additional_duty * day(last_day(make_date(year, month, 1))))
            / dayofyear(make_date(year, 12, 31)) as share_of_lines_with_additional_duty,
        {{ comma_list_union('measure_ids') }} as measure_ids
    from monthly
    group by year, importer_iso3, exporter_iso3, hs6
),

joined as (
    select
        base_rates.*,
        -- unknown where the US schedule has no line of the HS6 (not in the landed HTS)
        case
            when base_rates.importer_iso3 = 'USA' and scheduled.hs6 is null then null
            else coalesce(additional.additional_rate_pct, 0)
        end as additional_rate,
        coalesce(additional.share_of_lines_with_additional_duty, 0) as share_of_lines_with_additional_duty,
        coalesce(additional.measure_ids, '') as measure_ids
    from base_rates
    left join additional
        on base_rates.year = additional.year
        and base_rates.importer_iso3 = additional.importer_iso3
        and base_rates.exporter_iso3 = additional.exporter_iso3
        and base_rates.hs6 = additional.hs6
    left join scheduled
        on base_rates.importer_iso3 = 'USA'
        and base_rates.exporter_iso3 = scheduled.exporter_iso3
        and base_rates.hs6 = scheduled.hs6
),

final as (
    select
        cast(year as integer) as year,
        importer_iso3,
        exporter_iso3,
        hs6,
        cast(tariff_year as integer) as tariff_year,
        mfn_rate_pct,
        preferential_rate_pct,
        applied_rate_pct,
        additional_rate as additional_rate_pct,
        {{ round_double('applied_rate_pct + additional_rate', 6) }} as total_rate_pct,
        additional_rate > 0 as has_additional_duty,
        case when additional_rate is not null then share_of_lines_with_additional_duty end
            as share_of_lines_with_additional_duty,
        measure_ids
    from joined
)

select * from final
