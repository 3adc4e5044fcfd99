{#- Comtrade goods records that are totals over every breakdown, renamed and typed.
    Shared by stg_comtrade__flows (bilateral) and stg_comtrade__world_totals. -#}
{% macro comtrade_breakdown_totals(relation) %}
    select
        "reporterCode" as reporter_code,
        "reporterISO" as reporter_iso,
        "reporterDesc" as reporter_name,
        "partnerCode" as partner_code,
        "partnerISO" as partner_iso,
        "partnerDesc" as partner_name,
        "flowCode" as flow_code,
        "flowDesc" as flow_name,
        case "freqCode" when 'A' then 'annual' when 'M' then 'monthly' end as frequency,
        "period" as period,
        cast("refYear" as integer) as year,
        cast(case when "freqCode" = 'M' then "refMonth" end as integer) as month,
        "classificationCode" as hs_edition,
        "cmdCode" as hs_code,
        "cmdDesc" as hs_description,
        "aggrLevel" as aggregation_level,
        "isLeaf" as is_leaf,
        -- values are US dollars (not thousands): CIF for imports, FOB for exports
        "primaryValue" as value_usd,
        "cifvalue" as cif_value_usd,
        "fobvalue" as fob_value_usd,
        -- weights are kg
        "netWgt" as net_weight_kg,
        "grossWgt" as gross_weight_kg,
        "qty" as quantity,
        case when "qtyUnitCode" = -1 then null else "qtyUnitAbbr" end as quantity_unit,
        "isReported" as is_reported,
        "isAggregate" as is_aggregate,
        _source_file as source_file,
        _line_number as source_line_number,
    from {{ relation }}
    where "typeCode" = 'C'
      and coalesce("partner2Code", 0) = 0
      and coalesce("customsCode", 'C00') = 'C00'
      and coalesce("mosCode", '0') = '0'
      and coalesce("motCode", 0) = 0
{% endmacro %}
