-- The statistical lines of the landed HTS that the US schedule evaluates (an HTS10 line,
-- or an HTS8 line that has none), with their HTS8's rates: the MFN rate (the general
-- column's ad valorem part) and each free-trade-agreement programme's rate from the
-- special column, e.g. 'Free (A+,AU,...,KR,...) 2.5% (JP)' gives KR -> 0, JP -> 2.5.
with tariff_lines as (
    select * from {{ ref('stg_hts__tariff_lines') }}
    where hts8 is not null
),

hts8_lines as (
    select * from tariff_lines where length(hts_digits) = 8
),

statistical_lines as (
    -- the HTS10 lines, and the HTS8 lines without any
    select hts8, hts_digits as statistical_code
    from tariff_lines
    where length(hts_digits) = 10
    union all
    select hts8, hts8
    from hts8_lines
    where not exists (
        select 1 from tariff_lines as children
        where length(children.hts_digits) = 10 and children.hts8 = hts8_lines.hts8
    )
),

{%- set rate_group = '(Free|[0-9]+(?:\\.[0-9]+)?%)\\s*\\(([^)]*)\\)' %}

special_rate_groups as (
    -- each "<rate> (<programmes>)" group of the special column, ad valorem rates only
    select
        hts8,
        {{ unnest_list('regexp_extract_all(special_rate_text, ' ~ regex_literal(rate_group) ~ ', 0)') }} as rate_group
    from hts8_lines
    where special_rate_text is not null
),

special_rates as (
    -- the group's rate and programmes (the pattern matches the group from its start)
    select
        hts8,
        regexp_extract(rate_group, {{ regex_literal(rate_group) }}, 1) as rate_text,
        regexp_extract(rate_group, {{ regex_literal(rate_group) }}, 2) as programmes
    from special_rate_groups
),

programme_codes as (
    select hts8, rate_text, {{ unnest_list(split_list('programmes', "','")) }} as program_code
    from special_rates
),

programme_rates as (
    select
        hts8,
        trim(program_code) as program_code,
        -- trim(trailing ...), not rtrim(x, '%'): Spark's rtrim takes its two arguments the other way round
        case when rate_text = 'Free' then 0.0 else cast(trim(trailing '%' from rate_text) as double) end as rate_pct
    from programme_codes
),

partner_base_rates as (
    -- a partner's rate under its free-trade agreement, where the line lists its programme
    select
        programme_rates.hts8,
        programs.partner_iso3,
        min(programme_rates.rate_pct) as rate_pct,
        min(programs.agreement) as agreement
    from programme_rates
    inner join {{ ref('us_trade_agreement_programs') }} as programs
        on programme_rates.program_code = programs.program_code
    group by all
),

agreement_rates as (
    select
        hts8,
        -- sorted (by partner_iso3, the first field): the same list on every engine and build
        array_sort({{ aggregate_list(struct_of({'partner_iso3': 'partner_iso3', 'rate_pct': 'rate_pct', 'agreement': 'agreement'})) }})
            as agreement_rates
    from partner_base_rates
    group by hts8
),

final as (
    select
        statistical_lines.hts8,
        statistical_lines.statistical_code,
        left(statistical_lines.hts8, 6) as hs6,
        coalesce(hts8_lines.general_ad_valorem_pct, 0) as mfn_rate_pct,
        coalesce(hts8_lines.general_has_specific, false) as has_specific_duty,
        count(*) over (partition by statistical_lines.hts8) as statistical_lines,
        coalesce(agreement_rates.agreement_rates, {{ empty_list() }}) as agreement_rates
    from statistical_lines
    inner join hts8_lines on statistical_lines.hts8 = hts8_lines.hts8
    left join agreement_rates on statistical_lines.hts8 = agreement_rates.hts8
)

select * from final
