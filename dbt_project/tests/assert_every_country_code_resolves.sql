{{ config(meta={'dagster': {'ref': {'name': 'dim_country'}}}) }}
-- Lists every country code in the landed sources that dim_country cannot resolve
-- (WDI's regional and income aggregates are WDI's own and are not checked).
with codes as (
    select 'comtrade reporter' as used_as, reporter_code as code, null as iso3 from {{ ref('stg_comtrade__flows') }}
    union select 'comtrade partner', partner_code, null from {{ ref('stg_comtrade__flows') }}
    union select 'baci exporter', exporter_code, null from {{ ref('stg_baci__flows') }}
    union select 'baci importer', importer_code, null from {{ ref('stg_baci__flows') }}
    union select 'wits importer', importer_iso_numeric, null from {{ ref('stg_wits__mfn_tariffs') }}
    union select 'wits partner', exporter_iso_numeric, null from {{ ref('stg_wits__preferential_tariffs') }}
    union select 'measure imposing', null, imposing_iso3 from {{ ref('stg_measures__tariff_measures') }}
    union select 'measure target', null, target_iso3 from {{ ref('stg_measures__tariff_measures') }}
    where target_iso3 != '*'
),

countries as (
    select * from {{ ref('dim_country') }}
)

select codes.*
from codes
where
    (codes.used_as like 'wits%' and codes.code not in (select iso_numeric from countries where iso_numeric is not null))
    or (codes.used_as like 'comtrade%' or codes.used_as like 'baci%')
        and codes.code not in (select reporter_code from countries where reporter_code is not null)
    or (codes.used_as like 'measure%' and codes.iso3 not in (select iso3 from countries))
