-- Per year: where fct_trade's annual flows come from (BACI, or Comtrade when the year
-- has no BACI) and how complete they are: the reporters covered, those of the year
-- before that are missing, the share of world trade covered (measured on the nearest
-- BACI year's trade, so it moves with coverage only) and world exports like for like
-- with the year before. Definitions: see the model's YAML.
with pairs as (
    -- every year built: the BACI years are the benchmarks of the others
    select * from {{ ref('int_trade_pairs_compared') }}
),

run_pairs as (
    select * from pairs where true {{ in_run_years() }}
),

reporters as (
    -- the countries a year observes: in BACI, or reporting their own flows
    select year, exporter_iso3 as iso3
    from pairs
    where (baci_value_usd is not null or is_reported_by_exporter) {{ in_run_years(years_before=1) }}
    union
    select year, importer_iso3 as iso3
    from pairs
    where (baci_value_usd is not null or is_reported_by_importer) {{ in_run_years(years_before=1) }}
),

reporters_compared as (
    select
        coalesce(this_year.year, previous_year.year + 1) as year,
        coalesce(this_year.iso3, previous_year.iso3) as iso3,
        this_year.iso3 is not null as is_covered,
        previous_year.iso3 is not null as is_covered_previous_year
    from reporters as this_year
    full outer join reporters as previous_year
        on this_year.year = previous_year.year + 1
        and this_year.iso3 = previous_year.iso3
),

reporter_counts as (
    select
        year,
        count(*) filter (where is_covered) as covered_reporter_count,
        count(*) filter (where is_covered_previous_year) as covered_reporter_count_previous_year,
        count(*) filter (where is_covered_previous_year and not is_covered) as reporters_missing_count,
        {{ string_agg_ordered('iso3', "' '", 'iso3') }} filter (where is_covered_previous_year and not is_covered)
            as reporters_missing_from_previous_year
    from reporters_compared
    group by year
),

values_by_year as (
    select
        year,
        bool_or(baci_value_usd is not null) as has_baci,
        sum(value_usd) as world_exports_usd,
        coalesce(sum(baci_value_usd), 0) as baci_value_usd,
        sum(value_usd) filter (where previous_year_value_usd is not null) as world_exports_like_for_like_usd,
        sum(previous_year_value_usd) as world_exports_like_for_like_previous_year_usd
    from run_pairs
    group by year
),

baci_years as (
    select distinct year from pairs where baci_value_usd is not null
),

benchmarks as (
    -- the latest BACI year not after the year, else the earliest after it
    select
        values_by_year.year,
        coalesce(
            max(baci_years.year) filter (where baci_years.year <= values_by_year.year),
            min(baci_years.year) filter (where baci_years.year > values_by_year.year)
        ) as benchmark_year
    from values_by_year
    cross join baci_years
    group by values_by_year.year
),

benchmark_shares as (
    -- the benchmark year's world trade on the pairs the year has a flow for
    select
        benchmarks.year,
        benchmarks.benchmark_year,
        coalesce(sum(benchmark_pairs.value_usd) filter (where this_year.year is not null), 0)
            / nullif(sum(benchmark_pairs.value_usd), 0) as world_trade_share_covered
    from benchmarks
    inner join pairs as benchmark_pairs on benchmarks.benchmark_year = benchmark_pairs.year
    left join run_pairs as this_year
        on benchmarks.year = this_year.year
        and benchmark_pairs.exporter_iso3 = this_year.exporter_iso3
        and benchmark_pairs.importer_iso3 = this_year.importer_iso3
    group by benchmarks.year, benchmarks.benchmark_year
),

final as (
    select
        cast(values_by_year.year as integer) as year,
        cast(case when values_by_year.has_baci then 'baci' else 'comtrade' end as string) as trade_source,
        cast(not values_by_year.has_baci as boolean) as is_source_fallback,
        cast(values_by_year.baci_value_usd / nullif(values_by_year.world_exports_usd, 0) as double) as baci_value_share,
        cast(reporter_counts.covered_reporter_count as integer) as covered_reporter_count,
        cast(reporter_counts.covered_reporter_count_previous_year as integer) as covered_reporter_count_previous_year,
        cast(reporter_counts.reporters_missing_count as integer) as reporters_missing_count,
        cast(reporter_counts.reporters_missing_from_previous_year as string) as reporters_missing_from_previous_year,
        cast(benchmark_shares.benchmark_year as integer) as benchmark_year,
        cast(benchmark_shares.world_trade_share_covered as double) as world_trade_share_covered,
        cast(values_by_year.world_exports_usd as double) as world_exports_usd,
        cast(values_by_year.world_exports_like_for_like_usd as double) as world_exports_like_for_like_usd,
        cast(values_by_year.world_exports_like_for_like_previous_year_usd as double)
            as world_exports_like_for_like_previous_year_usd
    from values_by_year
    inner join reporter_counts on values_by_year.year = reporter_counts.year
    left join benchmark_shares on values_by_year.year = benchmark_shares.year
)

select * from final
