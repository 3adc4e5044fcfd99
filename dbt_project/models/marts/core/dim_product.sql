-- One row per HS6 code seen in any source, with its HS hierarchy, section and sector.
-- Descriptions come from BACI's product list (HS 2017), else the US HTS.
with baci_products as (
    select hs6, description from {{ ref('stg_baci__product_codes') }}
),

hts_products as (
    -- the 6-digit subheading's text, or failing that its first line's
    select hs6, min_by(description, hts_number) as description
    from {{ ref('stg_hts__tariff_lines') }}
    where hs6 is not null
    group by hs6
),

codes as (
    select hs6 from baci_products
    -- every product traded (BACI and Comtrade flows), so that dim_product covers fct_trade
    union select hs6 from {{ ref('fct_trade') }}
    union select hs6 from {{ ref('stg_wits__mfn_tariffs') }}
    union select hs6 from hts_products
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
        codes.hs6,
        max_by(sectors.sector, length(sectors.hs_prefix)) as sector,
    from codes
    left join sectors on starts_with(codes.hs6, sectors.hs_prefix)
    group by codes.hs6
),

final as (
    select
        with_sector.hs6,
        left(with_sector.hs6, 4) as hs4,
        left(with_sector.hs6, 2) as hs2,
        sections.section,
        coalesce(baci_products.description, hts_products.description) as description,
        case
            when baci_products.description is not null then 'BACI product codes (HS 2017)'
            when hts_products.description is not null then 'USITC HTS'
        end as description_source,
        coalesce(with_sector.sector, 'other') as sector,
        '{{ var("hs_edition") }}' as hs_edition,
    from with_sector
    left join baci_products on with_sector.hs6 = baci_products.hs6
    left join hts_products on with_sector.hs6 = hts_products.hs6
    left join sections
        on try_cast(left(with_sector.hs6, 2) as integer)
            between sections.first_chapter and sections.last_chapter
)

select * from final
