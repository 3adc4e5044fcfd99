-- Country x year: the WDI indicators the marts use, as columns. Every landed
-- indicator, including any other, is in fct_macro_indicators (long form).
with indicators as (
    select * from {{ ref('fct_macro_indicators') }}
),

final as (
    select
        iso3,
        year,
        max(value) filter (where indicator_code = 'NY.GDP.MKTP.CD') as gdp_usd,
        max(value) filter (where indicator_code = 'SP.POP.TOTL') as population,
        gdp_usd / nullif(population, 0) as gdp_per_capita_usd
    from indicators
    group by iso3, year
)

select * from final
