-- The country lookup every model that maps codes reads: one row per country or
-- aggregate, keyed by ISO3, with the numeric code the trade sources use
-- (Comtrade/BACI: 842 for the USA) beside the ISO numeric code (840). dim_country
-- publishes it.
with codes as (
    select * from {{ ref('stg_reference__country_codes') }}
),

trade_codes as (
    select iso3, code as reporter_code, name as trade_source_name, is_aggregate
    from codes
    where code_system = 'comtrade'
),

iso_codes as (
    select iso3, iso2, code as iso_numeric, name, is_aggregate
    from codes
    where code_system = 'iso_numeric'
),

final as (
    select
        coalesce(iso_codes.iso3, trade_codes.iso3) as iso3,
        trade_codes.reporter_code,
        iso_codes.iso_numeric,
        iso_codes.iso2,
        coalesce(iso_codes.name, trade_codes.trade_source_name) as name,
        trade_codes.trade_source_name,
        coalesce(iso_codes.is_aggregate, trade_codes.is_aggregate) as is_aggregate
    from iso_codes
    full outer join trade_codes on iso_codes.iso3 = trade_codes.iso3
)

select * from final
