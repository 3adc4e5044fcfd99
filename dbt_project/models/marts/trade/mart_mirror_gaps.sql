-- Mirror statistics per year and country pair: what the exporter reported (FOB)
-- against what the importer reported (CIF) for the same annual HS6 flows, over the
-- flows both sides report. The largest pairs of each year are flagged: their gaps
-- move bloc totals, and a warning check lists those outside the usual range.
with both_sides as (
    select *
    from {{ ref('fct_trade') }}
    where period_type = 'annual'
      and exporter_reported_value_usd is not null
      and importer_reported_value_usd is not null
      {{ in_run_years() }}
),

pairs as (
    select
        year,
        exporter_iso3,
        importer_iso3,
        count(*) as flow_count,
        sum(exporter_reported_value_usd) as exporter_reported_value_usd,
        sum(importer_reported_value_usd) as importer_reported_value_usd
    from both_sides
    group by all
),

final as (
    select
        cast(year as integer) as year,
        exporter_iso3,
        importer_iso3,
        cast(flow_count as bigint) as flow_count,
        exporter_reported_value_usd,
        importer_reported_value_usd,
        importer_reported_value_usd - exporter_reported_value_usd as mirror_gap_usd,
        importer_reported_value_usd / nullif(exporter_reported_value_usd, 0) as cif_fob_ratio,
        cast(row_number() over (
            partition by year order by importer_reported_value_usd + exporter_reported_value_usd desc,
            exporter_iso3, importer_iso3
        ) as integer) as value_rank
    from pairs
)

select *, value_rank <= {{ var('mirror_largest_pairs') }} as is_largest_pair
from final
