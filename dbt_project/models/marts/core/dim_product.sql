-- One row per HS6 code of the product lists (int_products_listed: BACI's product
-- codes, the WITS tariff lines, the US HTS), with its HS hierarchy, section and
-- sector. Built from the lists, never from the facts: a traded code missing from them
-- fails assert_dim_product_covers_every_traded_hs6 (on fct_trade).
with products as (
    select * from {{ ref('int_products_listed') }}
),

sectors as (
    select * from {{ ref('sector_hs_prefixes') }}
),

sections as (
    select * from {{ ref('hs_sections') }}
),

with_sector as (
    -- the sector of the longest matching prefix
    select
        products.hs6,
        max_by(sectors.sector, length(sectors.hs_prefix)) as sector
    from products
    left join sectors on {{ starts_with('products.hs6', 'sectors.hs_prefix') }}
    group by products.hs6
),

final as (
    select
        products.hs6,
        left(products.hs6, 4) as hs4,
        left(products.hs6, 2) as hs2,
        sections.section,
        products.description,
        products.description_source,
        coalesce(with_sector.sector, 'other') as sector,
        '{{ var("hs_edition") }}' as hs_edition
    from products
    inner join with_sector on products.hs6 = with_sector.hs6
    left join sections
        on try_cast(left(products.hs6, 2) as integer)
            between sections.first_chapter and sections.last_chapter
)

select * from final
