-- Which measures' HS scopes match each HS6 code, as a signature shared by every code
-- that matches the same measures.
with measures as (
    select * from {{ ref('stg_measures__tariff_measures') }}
    where not is_scope_listed_elsewhere
),

products as (
    select hs6 from {{ ref('int_products_listed') }}
),

matches as (
    select
        products.hs6,
        list_sort(list(measures.measure_id)) as measure_ids,
    from products
    inner join measures
        on measures.applies_to_all_goods
        or len(list_filter(measures.hs_prefixes, lambda p: starts_with(products.hs6, p))) > 0
    group by products.hs6
),

final as (
    select
        array_to_string(measure_ids, ';') as signature,
        measure_ids,
        list(hs6 order by hs6) as hs6_codes,
    from matches
    group by measure_ids
)

select * from final
