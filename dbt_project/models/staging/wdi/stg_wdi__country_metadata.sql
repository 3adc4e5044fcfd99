with source as (
    select * from {{ source('wdi', 'wdi_country_metadata') }}
),

renamed as (
    -- names with spaces through adapter.quote ("x" on DuckDB, `x` on Spark, where dbt-spark
    -- turns ANSI mode off and a double-quoted "x" is a string); the others unquoted
    select
        {{ adapter.quote('Country Code') }} as country_iso3,
        Region as region,
        IncomeGroup as income_group,
        TableName as table_name,
        SpecialNotes as special_notes,
        -- WDI leaves Region empty for aggregates (WLD, EAS, HIC, ...)
        Region is null as is_aggregate,
        _source_file as source_file
    from source
    qualify row_number() over (partition by {{ adapter.quote('Country Code') }} order by _source_file desc) = 1
)

select * from renamed
