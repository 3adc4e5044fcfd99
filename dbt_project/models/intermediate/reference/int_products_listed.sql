-- Every HS6 code of the product lists: BACI's product codes, the WITS tariff lines
-- and the US HTS (its 6-digit subheadings), with the description BACI's list gives,
-- else the HTS's. dim_product publishes it with the HS hierarchy and sectors.
with baci_products as (
    select hs6, description from {{ ref('stg_baci__product_codes') }}
),

wits_products as (
    select distinct hs6 from {{ ref('stg_wits__mfn_tariffs') }}
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
    union select hs6 from wits_products
    union select hs6 from hts_products
),

final as (
    select
        codes.hs6,
        coalesce(baci_products.description, hts_products.description) as description,
        case
            when baci_products.description is not null then 'BACI product codes'
            when hts_products.description is not null then 'USITC HTS'
        end as description_source
    from codes
    left join baci_products on codes.hs6 = baci_products.hs6
    left join hts_products on codes.hs6 = hts_products.hs6
)

select * from final
