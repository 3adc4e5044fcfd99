-- Bloc member x period x sector: exports to the US, the trade-weighted US tariffs they
-- face, the additional duties and the exposure in USD. Monthly periods (where monthly
-- flows exist) use fct_tariff_monthly, so 2025 shows the step at each measure's start;
-- annual periods weight each month's additional rate by that month's trade where the
-- year has monthly flows of the product, else use fct_tariff's day-weighted annual rate.
-- Membership rule (as mart_bloc_trade_annual): a member on 1 July of the year.
-- Built after dim_bloc, so the relationship check of bloc_code runs with the mart:
-- depends_on: {{ ref('dim_bloc') }}
with trade as (
    select * from {{ ref('fct_trade') }}
    where importer_iso3 = 'USA' and exporter_iso3 != 'USA' {{ in_run_years() }}
),

products as (
    select hs6, sector from {{ ref('dim_product') }}
),

annual_tariffs as (
    select * from {{ ref('fct_tariff') }} where importer_iso3 = 'USA' {{ in_run_years() }}
),

monthly_tariffs as (
    select * from {{ ref('fct_tariff_monthly') }} where importer_iso3 = 'USA' {{ in_run_years() }}
),

memberships as (
    select * from {{ ref('bridge_bloc_membership') }}
),

monthly_rates as (
    -- each monthly flow's additional rate: a month without a row in fct_tariff_monthly had none
    select
        trade.period_key,
        trade.year,
        trade.exporter_iso3,
        trade.hs6,
        trade.value_usd,
        coalesce(monthly_tariffs.additional_rate_pct, 0) as additional_rate_pct
    from trade
    left join monthly_tariffs
        on trade.period_key = monthly_tariffs.period_key
        and trade.exporter_iso3 = monthly_tariffs.exporter_iso3
        and trade.hs6 = monthly_tariffs.hs6
    where trade.period_type = 'monthly'
),

monthly_weighted as (
    -- per year, exporter and HS6 with monthly flows: the month-trade-weighted additional rate
    select
        year,
        exporter_iso3,
        hs6,
        sum(value_usd * additional_rate_pct) / nullif(sum(value_usd), 0) as additional_rate_pct
    from monthly_rates
    group by year, exporter_iso3, hs6
),

flows as (
    select
        trade.period_key,
        trade.period_type,
        trade.year,
        trade.month,
        trade.exporter_iso3,
        products.sector,
        trade.value_usd,
        annual_tariffs.mfn_rate_pct,
        annual_tariffs.applied_rate_pct,
        case
            -- unknown where the US schedule does not cover the HS6 (fct_tariff says so)
            when annual_tariffs.additional_rate_pct is null then null
            when trade.period_type = 'annual'
                then coalesce(monthly_weighted.additional_rate_pct, annual_tariffs.additional_rate_pct)
            else monthly_rates.additional_rate_pct
        end as additional_rate_pct
    from trade
    inner join products on trade.hs6 = products.hs6
    left join annual_tariffs
        on trade.year = annual_tariffs.year
        and trade.exporter_iso3 = annual_tariffs.exporter_iso3
        and trade.hs6 = annual_tariffs.hs6
    left join monthly_rates
        on trade.period_type = 'monthly'
        and trade.period_key = monthly_rates.period_key
        and trade.exporter_iso3 = monthly_rates.exporter_iso3
        and trade.hs6 = monthly_rates.hs6
    left join monthly_weighted
        on trade.period_type = 'annual'
        and trade.year = monthly_weighted.year
        and trade.exporter_iso3 = monthly_weighted.exporter_iso3
        and trade.hs6 = monthly_weighted.hs6
),

member_flows as (
    select memberships.bloc_code, flows.*
    from flows
    inner join memberships
        on flows.exporter_iso3 = memberships.iso3
        and {{ is_member_in_year('memberships', 'flows.year') }}
),

final as (
    select
        bloc_code,
        exporter_iso3 as member_iso3,
        period_key,
        period_type,
        cast(year as integer) as year,
        cast(month as integer) as month,
        sector,
        sum(value_usd) as exports_to_us_usd,
        sum(value_usd * mfn_rate_pct) / nullif(sum(value_usd) filter (where mfn_rate_pct is not null), 0)
            as us_mfn_rate_trade_weighted_pct,
        sum(value_usd * (applied_rate_pct + additional_rate_pct))
            / nullif(sum(value_usd) filter (where applied_rate_pct is not null), 0)
            as us_total_rate_trade_weighted_pct,
        sum(value_usd * additional_rate_pct)
            / nullif(sum(value_usd) filter (where additional_rate_pct is not null), 0)
            as additional_rate_trade_weighted_pct,
        coalesce(sum(value_usd * additional_rate_pct / 100), 0) as exposure_usd,
        coalesce(sum(value_usd) filter (where additional_rate_pct > 0), 0) / sum(value_usd)
            as share_facing_additional_duty
    from member_flows
    group by all
)

select * from final
