-- Annual and monthly periods over the years the sources can cover.
with years as (
    select cast(n as integer) as year
    from range({{ var('first_year') }}, {{ var('last_year') }} + 1) as years(n)
),

months as (
    select cast(n as integer) as month from range(1, 13) as months(n)
),

annual as (
    select
        cast(year as string) as period_key,
        year,
        cast(null as integer) as month,
        'annual' as period_type,
        make_date(year, 1, 1) as period_start_date,
        make_date(year, 12, 31) as period_end_date
    from years
),

monthly as (
    select
        cast(year as string) || '-' || lpad(cast(month as string), 2, '0') as period_key,
        year,
        month,
        'monthly' as period_type,
        make_date(year, month, 1) as period_start_date,
        last_day(make_date(year, month, 1)) as period_end_date
    from years cross join months
),

final as (
    select
        *,
        cast({{ dbt.datediff('period_start_date', 'period_end_date', 'day') }} + 1 as integer) as days_in_period
    from (select * from annual union all select * from monthly)
)

select * from final
