-- A Herfindahl-Hirschman index over n shares lies in [1/n, 1] (1/n when the shares
-- are equal, 1 when one share is everything), over products and over markets, in
-- mart_export_concentration. A tolerance of 1e-9 absorbs floating-point rounding.
-- Returns the rows that break it.
with concentration as (
    select * from {{ ref('mart_export_concentration') }}
),

checks as (
    select iso3, year, 'product' as dimension, product_count as n, product_hhi as hhi
    from concentration

    union all

    select iso3, year, 'market' as dimension, market_count as n, market_hhi as hhi
    from concentration
),

final as (
    select *
    from checks
    where n is null
        or n < 1
        or hhi is null
        or hhi < 1.0 / n - 1e-9
        or hhi > 1 + 1e-9
)

select * from final
