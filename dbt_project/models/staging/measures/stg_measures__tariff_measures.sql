with source as (
    select * from {{ source('measures', 'measures_tariff_measures') }}
),

renamed as (
    select
        measure_id,
        imposing_iso3,
        target_iso3,
        target_iso3 = '*' as applies_to_all_partners,
        hs_scope,
        case
            when hs_scope in ('*', 'see_list') then []::varchar[]
            else string_split(hs_scope, ';')
        end as hs_prefixes,
        hs_scope = '*' as applies_to_all_goods,
        -- the official scope is a long HTS8 list that the file does not reproduce
        hs_scope = 'see_list' as is_scope_listed_elsewhere,
        -- percent ad valorem
        rate_pct,
        rate_kind,
        in_force_from,
        in_force_to,
        authority,
        legal_ref,
        confidence,
        note,
        _source_file as source_file,
    from source
)

select * from renamed
