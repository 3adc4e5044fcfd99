with source as (
    select * from {{ source('reference', 'reference_country_codes') }}
),

renamed as (
    select
        code_system,
        code,
        iso3,
        iso2,
        name,
        is_aggregate,
        note
    from source
)

select * from renamed
