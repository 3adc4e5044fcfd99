-- Per source and year: how many landed rows reached which fact, and why the others
-- did not (int_landing_rows_counted, pivoted). Every landed row is in exactly one
-- column after rows_landed.
with outcomes as (
    select * from {{ ref('int_landing_rows_counted') }}
    where true {{ in_run_years() }}
),

final as (
    select
        source,
        cast(year as integer) as year,
        cast(sum(row_count) as bigint) as rows_landed,
        cast(coalesce(sum(row_count) filter (where outcome = 'fct_trade_reported and fct_trade'), 0) as bigint)
            as rows_in_fct_trade_reported_and_fct_trade,
        cast(coalesce(sum(row_count) filter (where outcome = 'fct_trade'), 0) as bigint)
            as rows_in_fct_trade_only,
        cast(coalesce(sum(row_count) filter (where outcome = 'fct_trade_reported: not HS6'), 0) as bigint)
            as rows_in_fct_trade_reported_not_hs6,
        cast(coalesce(sum(row_count) filter (where outcome = 'fct_trade_reported: partner World'), 0) as bigint)
            as rows_in_fct_trade_reported_world,
        cast(coalesce(sum(row_count) filter (where outcome = 'fct_trade_reported: re-export or re-import'), 0) as bigint)
            as rows_in_fct_trade_reported_re_flows,
        cast(coalesce(sum(row_count) filter (where outcome like 'breakdown by %'), 0) as bigint)
            as rows_excluded_breakdown,
        cast(coalesce(sum(row_count) filter (where outcome like 'not goods%'), 0) as bigint)
            as rows_excluded_not_goods,
        cast(coalesce(sum(row_count) filter (where outcome = 'other flow code'), 0) as bigint)
            as rows_excluded_other_flow,
        cast(coalesce(sum(row_count) filter (where outcome = 'country code unresolved'), 0) as bigint)
            as rows_excluded_unresolved_country,
        cast(coalesce(sum(row_count) filter (where outcome like 'fct_trade_reported%'), 0) as bigint)
            as rows_in_fct_trade_reported,
        cast(coalesce(sum(row_count) filter (where outcome in ('fct_trade_reported and fct_trade', 'fct_trade')), 0) as bigint)
            as rows_into_fct_trade,
        sum(value_usd) as value_landed_usd,
        coalesce(sum(value_usd) filter (where outcome like 'fct_trade_reported%'), 0) as value_in_fct_trade_reported_usd,
        coalesce(sum(value_usd) filter (where outcome like 'breakdown by %'), 0) as value_excluded_breakdown_usd
    from outcomes
    group by source, year
)

select * from final
