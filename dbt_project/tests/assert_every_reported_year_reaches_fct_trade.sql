{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_trade'}}}) }}
-- Coverage, reported not enforced (a warning: a download of a few years or reporters
-- is valid): every reporter-year present in the landed files is present in fct_trade
-- (as the exporter or the importer of some flow), and the bloc core (CJK and the
-- USA) has annual flows in every year of the covered range (the first to the last
-- year fct_trade holds). Lists each missing reporter-year, where it came from, and
-- whether it reached fct_trade_reported.
with reported as (
    select distinct 'comtrade' as source, reporter_code, year from {{ ref('stg_comtrade__flows') }}
    union
    select distinct 'baci', exporter_code, year from {{ ref('stg_baci__flows') }}
),

countries as (
    select iso3, reporter_code from {{ ref('int_countries_joined') }}
),

in_fct as (
    select exporter_iso3 as iso3, year from {{ ref('fct_trade') }}
    union
    select importer_iso3, year from {{ ref('fct_trade') }}
),

in_fct_reported as (
    select distinct reporter_iso3 as iso3, year from {{ ref('fct_trade_reported') }}
),

missing_reported as (
    select
        reported.source,
        reported.reporter_code,
        countries.iso3,
        reported.year,
        case when in_fct_reported.iso3 is not null
            then 'in fct_trade_reported only (no HS6 export or import between two countries)'
        end as note
    from reported
    left join countries using (reporter_code)
    left join in_fct on countries.iso3 = in_fct.iso3 and reported.year = in_fct.year
    left join in_fct_reported on countries.iso3 = in_fct_reported.iso3 and reported.year = in_fct_reported.year
    where in_fct.iso3 is null {{ in_run_years('reported.year') }}
),

covered_range as (
    select min(year) as first_year, max(year) as last_year
    from {{ ref('fct_trade') }}
    where period_type = 'annual'
),

covered_years as (
    select {{ unnest_list(integer_series('first_year', 'last_year')) }} as year
    from covered_range
),

core as (
    select iso3, reporter_code from countries where iso3 in ('CHN', 'JPN', 'KOR', 'USA')
),

core_years as (
    select distinct exporter_iso3 as iso3, year
    from {{ ref('fct_trade') }}
    where period_type = 'annual' and exporter_iso3 in ('CHN', 'JPN', 'KOR', 'USA')
),

missing_core as (
    select
        'core year without annual flows' as source, core.reporter_code, core.iso3, covered_years.year,
        cast(null as string) as note
    from core
    cross join covered_years
    left join core_years on core.iso3 = core_years.iso3 and covered_years.year = core_years.year
    where core_years.iso3 is null
)

select * from missing_reported
union all
select * from missing_core
