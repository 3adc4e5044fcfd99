with source as (
    select * from {{ source('wits', 'wits_preferential_tariffs') }}
),

renamed as (
    -- raw names unquoted: dbt-spark runs Spark with ANSI mode off, where "x" is a string
    select
        NomenCode as hs_edition,
        Reporter_ISO_N as importer_iso_numeric,
        Partner as exporter_iso_numeric,
        cast(Year as integer) as year,
        ProductCode as hs6,
        -- rates are percent ad valorem
        SimpleAverage as preferential_rate_pct,
        Min_Rate as min_rate_pct,
        Max_Rate as max_rate_pct,
        TotalNoOfLines as tariff_line_count,
        _source_file as source_file
    from source
)

select * from renamed
