with source as (
    select * from {{ source('baci', 'baci_product_codes') }}
),

renamed as (
    select
        code as hs6,
        description,
        _source_file as source_file
    from source
    -- one row per code across releases (the latest file name wins)
    qualify row_number() over (partition by code order by _source_file desc) = 1
)

select * from renamed
