-- For every importer x exporter x HS scope signature and every day a measure is in
-- force, the measures that apply after the overlap rules, with their rates.
--
-- A signature is the set of measures whose HS scope matches an HS6 code: every code
-- with the same signature faces the same measures, so the day-by-day work is done per
-- signature, never per HS6 (a few signatures against thousands of codes).
-- Rules, in order (see fct_tariff's YAML):
--   1. a measure applies when it is imposed by the importer on the exporter or on
--      every partner ('*') and its scope matches (see_list scopes match nothing);
--   2. within one authority, a measure targeted at the exporter replaces the
--      measures for every partner that are in force the same day;
--   3. IEEPA measures do not apply to goods under a Section 232 measure that day;
--   4. what remains stacks.
-- Incremental by year (tag yearly): the pairs of a year are those of
-- int_tariff_base_rates that year, the only ones int_tariff_additional_monthly joins.
with measures as (
    select * from {{ ref('stg_measures__tariff_measures') }}
    where not is_scope_listed_elsewhere
),

signatures as (
    select * from {{ ref('int_tariff_hs6_signatures') }}
),

pairs as (
    -- every importer that imposes a measure, against every partner it has a rate for
    -- that year (int_tariff_base_rates: it trades with it, or grants it a preference)
    select distinct year, importer_iso3, exporter_iso3
    from {{ ref('int_tariff_base_rates') }}
    where importer_iso3 in (select imposing_iso3 from measures) {{ in_run_years() }}
),

run_years as (
    select distinct year from pairs
),

measure_days as (
    -- the days each measure is in force, within the years of the run that have pairs
    select
        measures.*,
        cast(day as date) as day,
    from measures,
        range(
            greatest(in_force_from, make_date({{ var('first_year') }}, 1, 1)),
            least(coalesce(in_force_to, make_date({{ var('last_year') }}, 12, 31)),
                  make_date({{ var('last_year') }}, 12, 31)) + interval 1 day,
            interval 1 day
        ) as days(day)
    where cast(year(day) as integer) in (select year from run_years)
),

applicable as (
    select
        pairs.year,
        pairs.importer_iso3,
        pairs.exporter_iso3,
        signatures.signature,
        measure_days.day,
        measure_days.measure_id,
        measure_days.authority,
        measure_days.applies_to_all_partners,
        measure_days.rate_pct,
        measure_days.rate_kind,
    from pairs
    inner join measure_days
        on cast(year(measure_days.day) as integer) = pairs.year
        and measure_days.imposing_iso3 = pairs.importer_iso3
        and (measure_days.applies_to_all_partners or measure_days.target_iso3 = pairs.exporter_iso3)
    inner join signatures on list_contains(signatures.measure_ids, measure_days.measure_id)
),

targeted_replaces_general as (
    select *
    from applicable
    qualify not (
        applies_to_all_partners
        and bool_or(not applies_to_all_partners) over (
            partition by importer_iso3, exporter_iso3, signature, day, authority
        )
    )
),

final as (
    select *
    from targeted_replaces_general
    qualify not (
        authority = 'IEEPA'
        and bool_or(authority = 'Section 232') over (
            partition by importer_iso3, exporter_iso3, signature, day
        )
    )
)

select * from final
