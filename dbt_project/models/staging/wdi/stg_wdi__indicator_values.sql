with source as (
    select * from {{ source('wdi', 'wdi_indicator_values') }}
),

renamed as (
    select
        country_code as country_iso3,
        country_name,
        indicator_code,
        indicator_name,
        cast(year as integer) as year,
        -- in the indicator's own unit: current US dollars for NY.GDP.MKTP.CD
        value,
        _source_file as source_file
    from source
)

select * from renamed
