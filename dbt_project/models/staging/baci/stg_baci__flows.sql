with source as (
    select * from {{ source('baci', 'baci_flows') }}
),

renamed as (
    select
        cast(t as integer) as year,
        i as exporter_code,
        j as importer_code,
        k as hs6,
        -- BACI v is in thousands of current US dollars
        v * 1000 as value_usd,
        -- BACI q is in metric tons
        q * 1000 as net_weight_kg,
        _source_file as source_file,
        _line_number as source_line_number
    from source
)

select * from renamed
