-- Every named product scope of the US measures as HTS prefixes (2 to 10 digits), from the
-- published lists as they are: a Section 301 list is named by its Chapter 99 heading. A
-- prefix listed later than its measure began (a Section 232 derivative of 2025-08-18)
-- carries that date in listed_from (1900-01-01 when in the scope from the start).
with prefixes as (
    select scope_id, hts_prefix, cast(null as date) as listed_from
    from {{ ref('us_tariff_product_prefixes') }}
),

section_301 as (
    select ch99_code as scope_id, hts8 as hts_prefix, cast(null as date) as listed_from
    from {{ ref('s301_product_lists') }}
    union all
    -- the published lists name a line under its current heading only: the earlier list of
    -- a line raised in 2024, where the review's "previous rate" establishes it
    select ch99_code, hts8, null from {{ ref('s301_lines_before_2024') }}
),

derivatives as (
    select
        case derivative_type when 'steel' then 's232_steel_2025' else 's232_aluminium_2025' end as scope_id,
        hts_prefix,
        effective_date as listed_from
    from {{ ref('s232_derivative_products') }}
),

named_lists as (
    select 's232_auto_parts' as scope_id, hts_prefix, cast(null as date) as listed_from
    from {{ ref('s232_auto_parts') }}
    union all
    select 's232_mhd_parts', hts_prefix, null from {{ ref('s232_mhd_parts') }}
    union all
    select 's232_copper', hts10, null from {{ ref('s232_copper_products') }}
    union all
    select 's232_semiconductors', hts10, null from {{ ref('s232_semi_products') }}
    union all
    select 'ieepa_annex_ii', hts10, null from {{ ref('ieepa_exempt_products') }}
    union all
    -- Annex II exempted copper until the copper duty of 2025-08-01 took over (the published
    -- list is the later one); from then the stacking rule has the same effect
    select 'ieepa_annex_ii', hts10, null from {{ ref('s232_copper_products') }}
    union all
    select
        case when category = 'potash_mx' then 'fentanyl_potash_mx' else 'fentanyl_energy_potash_ca' end,
        hts8,
        null
    from {{ ref('fentanyl_carveout_products') }}
),

final as (
    select
        scope_id,
        hts_prefix,
        -- the earliest listing; 1900-01-01 for a prefix in the scope from the start
        min(coalesce(listed_from, date '1900-01-01')) as listed_from
    from (
        select * from prefixes
        union all select * from section_301
        union all select * from derivatives
        union all select * from named_lists
    )
    where {{ regex_full_match('hts_prefix', '[0-9]{2,10}') }}
    group by scope_id, hts_prefix
)

select * from final
