-- US tariff lines with their rates. A 10-digit statistical line usually leaves the
-- rate blank: it takes its 8-digit parent's (is_rate_inherited). Text rows without
-- an HTS number are left out.
with source as (
    select * from {{ source('hts', 'hts_tariff_lines') }}
),

renamed as (
    -- names with spaces through adapter.quote ("x" on DuckDB, `x` on Spark, where dbt-spark
    -- turns ANSI mode off and a double-quoted "x" is a string); the others unquoted
    select
        {{ adapter.quote('HTS Number') }} as hts_number,
        replace({{ adapter.quote('HTS Number') }}, '.', '') as hts_digits,
        Indent as indent,
        Description as description,
        {{ adapter.quote('Unit of Quantity') }} as unit_of_quantity,
        {{ adapter.quote('General Rate of Duty') }} as general_rate_text,
        general_ad_valorem_pct,
        general_has_specific,
        {{ adapter.quote('Special Rate of Duty') }} as special_rate_text,
        {{ adapter.quote('Column 2 Rate of Duty') }} as column2_rate_text,
        column2_ad_valorem_pct,
        column2_has_specific,
        {{ adapter.quote('Additional Duties') }} as additional_duties_text,
        _source_file as source_file
    from source
    where {{ adapter.quote('HTS Number') }} is not null
),

parents as (
    select * from renamed where length(hts_digits) = 8
),

inherited as (
    select
        renamed.hts_number,
        renamed.hts_digits,
        case when length(renamed.hts_digits) >= 8 then left(renamed.hts_digits, 8) end as hts8,
        case when length(renamed.hts_digits) >= 6 then left(renamed.hts_digits, 6) end as hs6,
        renamed.indent,
        renamed.description,
        renamed.unit_of_quantity,
        renamed.general_rate_text is null and parents.general_rate_text is not null as is_rate_inherited,
        coalesce(renamed.general_rate_text, parents.general_rate_text) as general_rate_text,
        coalesce(renamed.general_ad_valorem_pct, parents.general_ad_valorem_pct) as general_ad_valorem_pct,
        coalesce(renamed.general_has_specific, parents.general_has_specific) as general_has_specific,
        coalesce(renamed.special_rate_text, parents.special_rate_text) as special_rate_text,
        -- the programmes in parentheses, e.g. Free (A+,AU,...,KR,...) -> [A+, AU, ..., KR, ...]
        {{ split_list(
            "nullif(regexp_extract(coalesce(renamed.special_rate_text, parents.special_rate_text), "
                ~ regex_literal('\\(([^)]*)\\)') ~ ", 1), '')",
            "','"
        ) }} as special_programs,
        coalesce(renamed.column2_rate_text, parents.column2_rate_text) as column2_rate_text,
        coalesce(renamed.column2_ad_valorem_pct, parents.column2_ad_valorem_pct) as column2_ad_valorem_pct,
        renamed.additional_duties_text,
        renamed.source_file
    from renamed
    left join parents
        on length(renamed.hts_digits) = 10
        and left(renamed.hts_digits, 8) = parents.hts_digits
        and parents.source_file = renamed.source_file
)

select * from inherited
