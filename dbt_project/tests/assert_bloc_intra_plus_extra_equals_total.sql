-- Intra-bloc + extra-bloc = total, for exports and for imports, for every bloc and
-- year of mart_bloc_trade_annual, within 1e-6 relative to the total (the two parts
-- are summed over different rows, so floating-point sums may differ in the last bits).
-- The years that do not observe the bloc's intra-bloc trade leave it null: not checked.
-- Returns the rows that break it.
with bloc_trade as (
    select * from {{ ref('mart_bloc_trade_annual') }}
    where is_intra_bloc_trade_observed
),

checks as (
    select
        bloc_code,
        year,
        'exports' as side,
        exports_usd as total_usd,
        intra_bloc_exports_usd + extra_bloc_exports_usd as parts_usd
    from bloc_trade

    union all

    select
        bloc_code,
        year,
        'imports' as side,
        imports_usd as total_usd,
        intra_bloc_imports_usd + extra_bloc_imports_usd as parts_usd
    from bloc_trade
),

final as (
    select
        *,
        parts_usd - total_usd as difference_usd
    from checks
    where parts_usd is null
        or total_usd is null
        or abs(parts_usd - total_usd) > 1e-6 * abs(total_usd)
)

select * from final
