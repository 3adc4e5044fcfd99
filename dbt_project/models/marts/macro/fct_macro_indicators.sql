-- Every WDI indicator landed, country x indicator x year (int_macro_indicators_joined).
with indicators as (
    select * from {{ ref('int_macro_indicators_joined') }}
),

final as (
    select
        iso3,
        year,
        indicator_code,
        indicator_name,
        value
    from indicators
)

select * from final
