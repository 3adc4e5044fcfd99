{#- Every landed Comtrade record, renamed and typed, with `excluded_as`: why the record
    cannot be summed with the others (null for a goods record that is a total over
    every breakdown). Comtrade repeats a flow by second partner (partner2Code), customs
    procedure (customsCode), mode of supply (mosCode) and mode of transport (motCode);
    the total of each breakdown has the code 0 / C00 / '0' / 0 (null or empty in older
    files and in API downloads fetched without them), and adding a breakdown row to its
    total double counts. Codes are compared trimmed (the real API CSV writes mosCode
    "0 "). The one rule shared by stg_comtrade__records, stg_comtrade__flows and
    stg_comtrade__world_totals. The raw names are unquoted (DuckDB and Spark match names
    case-insensitively): dbt-spark runs Spark with ANSI mode off, where "x" is a string. -#}
{% macro comtrade_records(relation) %}
    select
        reporterCode as reporter_code,
        reporterISO as reporter_iso,
        reporterDesc as reporter_name,
        partnerCode as partner_code,
        partnerISO as partner_iso,
        partnerDesc as partner_name,
        flowCode as flow_code,
        flowDesc as flow_name,
        case freqCode when 'A' then 'annual' when 'M' then 'monthly' end as frequency,
        period as period,
        cast(refYear as integer) as year,
        cast(case when freqCode = 'M' then refMonth end as integer) as month,
        classificationCode as hs_edition,
        cmdCode as hs_code,
        cmdDesc as hs_description,
        aggrLevel as aggregation_level,
        isLeaf as is_leaf,
        -- values are US dollars (not thousands): CIF for imports, FOB for exports
        primaryValue as value_usd,
        cifvalue as cif_value_usd,
        fobvalue as fob_value_usd,
        -- weights are kg
        netWgt as net_weight_kg,
        grossWgt as gross_weight_kg,
        qty as quantity,
        case when qtyUnitCode = -1 then null else qtyUnitAbbr end as quantity_unit,
        isReported as is_reported,
        isAggregate as is_aggregate,
        case
            when coalesce(typeCode, 'C') != 'C' then 'not goods (typeCode ' || typeCode || ')'
            when coalesce(partner2Code, 0) != 0 then 'breakdown by second partner'
            when coalesce(nullif(trim(customsCode), ''), 'C00') != 'C00' then 'breakdown by customs procedure'
            when coalesce(nullif(trim(mosCode), ''), '0') != '0' then 'breakdown by mode of supply'
            when coalesce(motCode, 0) != 0 then 'breakdown by mode of transport'
        end as excluded_as,
        _source_file as source_file,
        _line_number as source_line_number
    from {{ relation }}
{% endmacro %}
