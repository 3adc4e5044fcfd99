-- One row per country or aggregate, keyed by ISO3: the country lookup of the
-- intermediates (int_countries_joined), published as the star schema's dimension.
with countries as (
    select * from {{ ref('int_countries_joined') }}
),

final as (
    select
        iso3,
        reporter_code,
        iso_numeric,
        iso2,
        name,
        trade_source_name,
        is_aggregate
    from countries
)

select * from final
