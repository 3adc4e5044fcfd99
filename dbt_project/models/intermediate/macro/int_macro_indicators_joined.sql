-- Every WDI indicator landed, country x indicator x year, for countries the
-- warehouse knows (int_countries_joined; WDI's regional aggregates other than World
-- and the EU are left out). fct_macro_indicators publishes it.
with values as (
    select * from {{ ref('stg_wdi__indicator_values') }}
),

countries as (
    select iso3 from {{ ref('int_countries_joined') }}
),

final as (
    select
        values.country_iso3 as iso3,
        cast(values.year as integer) as year,
        values.indicator_code,
        values.indicator_name,
        values.value
    from values
    inner join countries on values.country_iso3 = countries.iso3
)

select * from final
