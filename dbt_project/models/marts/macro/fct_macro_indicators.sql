-- Every WDI indicator landed, country x indicator x year, for countries the
-- warehouse knows (WDI's regional aggregates other than World are left out).
with values as (
    select * from {{ ref('stg_wdi__indicator_values') }}
),

countries as (
    select iso3 from {{ ref('dim_country') }}
),

final as (
    select
        values.country_iso3 as iso3,
        cast(values.year as integer) as year,
        values.indicator_code,
        values.indicator_name,
        values.value,
    from values
    inner join countries on values.country_iso3 = countries.iso3
)

select * from final
