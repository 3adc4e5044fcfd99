with source as (
    select * from {{ source('baci', 'baci_country_codes') }}
),

renamed as (
    select
        country_code,
        country_name,
        country_iso2,
        country_iso3,
        _source_file as source_file
    from source
    -- the same list ships with every release: keep one row per code
    qualify row_number() over (partition by country_code order by _source_file desc) = 1
)

select * from renamed
