-- Bloc x year: the members' exports and imports, split into intra-bloc and
-- extra-bloc, trade with the US, the intra-bloc share, two trade intensity indices,
-- combined GDP and trade-to-GDP. Annual flows, reconciled value_usd. The year's
-- coverage (mart_trade_coverage) and, like for like, the figures that move most with
-- it for the year and the year before over the same country pairs.
-- Membership rule: a country counts in year y when it is a member on 1 July of y
-- (valid_from <= 1 July <= valid_to, valid_to inclusive, null = still a member).
-- Formulas and their sources: see the model's YAML.
-- Built after dim_bloc, so the relationship check of bloc_code runs with the mart:
-- depends_on: {{ ref('dim_bloc') }}
{%- set intra_bloc_columns = [
    'intra_bloc_exports_usd', 'intra_bloc_imports_usd', 'intra_bloc_export_share', 'trade_intensity_index_intra_bloc',
] %}

with trade as (
    select * from {{ ref('fct_trade') }}
    where true {{ in_run_years() }}
),

memberships as (
    select * from {{ ref('bridge_bloc_membership') }}
),

macro as (
    select * from {{ ref('fct_macro') }}
),

pairs as (
    select * from {{ ref('int_trade_pairs_compared') }}
),

comparable_pairs as (
    -- the pairs with an annual flow in both the year and the year before
    select * from pairs
    where previous_year_value_usd is not null {{ in_run_years() }}
),

coverage as (
    select * from {{ ref('mart_trade_coverage') }}
    where true {{ in_run_years() }}
),

annual_flows as (
    -- one value per year x exporter x importer, summed over HS6
    select
        year,
        exporter_iso3,
        importer_iso3,
        sum(value_usd) as value_usd
    from trade
    where period_type = 'annual'
    group by year, exporter_iso3, importer_iso3
),

flow_sets as (
    -- the formulas below run over three sets of flows: every annual flow of the year
    -- ('all', the mart's main columns), and for the like-for-like columns the
    -- comparable pairs at the year's value and at the year before's, both with the
    -- year's members
    select year, 'all' as flow_set, exporter_iso3, importer_iso3, value_usd
    from annual_flows
    union all
    select year, 'like_for_like' as flow_set, exporter_iso3, importer_iso3, value_usd
    from comparable_pairs
    union all
    select year, 'like_for_like_previous_year' as flow_set, exporter_iso3, importer_iso3,
        previous_year_value_usd as value_usd
    from comparable_pairs
),

years as (
    select distinct year from annual_flows
),

world_totals as (
    -- "world" = every flow of the set that year (for 'all', every annual flow in fct_trade)
    select
        year,
        flow_set,
        sum(value_usd) as world_exports_usd,
        coalesce(sum(value_usd) filter (where importer_iso3 = 'USA'), 0) as world_exports_to_usa_usd
    from flow_sets
    group by year, flow_set
),

members as (
    -- the members of each bloc in each year: member on 1 July of the year
    select distinct
        memberships.bloc_code,
        memberships.iso3,
        years.year
    from memberships
    inner join years
        on {{ is_member_in_year('memberships', 'years.year') }}
),

bloc_years as (
    select
        bloc_code,
        year,
        count(*) as member_count,
        bool_or(iso3 = 'USA') as has_usa_as_member
    from members
    group by bloc_code, year
),

intra_bloc_coverage as (
    -- The bloc's intra-bloc trade in the year's benchmark year (mart_trade_coverage: the
    -- nearest BACI year) on the member pairs the year has a flow for, as a share of all
    -- of it. A year of fewer reporters may not observe trade between members at all
    -- (EU27 when only the CJK and US reports are landed): its intra-bloc figures are
    -- null below var min_intra_bloc_trade_covered, not a false fall to 0.
    select
        exporters.bloc_code,
        exporters.year,
        coalesce(sum(benchmark.value_usd) filter (where flows.year is not null), 0)
            / nullif(sum(benchmark.value_usd), 0) as intra_bloc_trade_share_covered,
        -- a bloc without trade between its members in the benchmark year misses none
        coalesce(intra_bloc_trade_share_covered >= {{ var('min_intra_bloc_trade_covered') }}, true)
            as is_intra_bloc_trade_observed
    from members as exporters
    inner join members as importers
        on exporters.bloc_code = importers.bloc_code
        and exporters.year = importers.year
    inner join coverage on exporters.year = coverage.year
    inner join pairs as benchmark
        on coverage.benchmark_year = benchmark.year
        and exporters.iso3 = benchmark.exporter_iso3
        and importers.iso3 = benchmark.importer_iso3
    left join annual_flows as flows
        on exporters.year = flows.year
        and exporters.iso3 = flows.exporter_iso3
        and importers.iso3 = flows.importer_iso3
    group by exporters.bloc_code, exporters.year
),

member_exports as (
    -- flows exported by a member, flagged intra-bloc when the importer is a member too
    select
        exporters.bloc_code,
        flow_sets.year,
        flow_sets.flow_set,
        flow_sets.exporter_iso3,
        flow_sets.importer_iso3,
        flow_sets.value_usd,
        partners.iso3 is not null as is_intra_bloc
    from flow_sets
    inner join members as exporters
        on flow_sets.exporter_iso3 = exporters.iso3
        and flow_sets.year = exporters.year
    left join members as partners
        on flow_sets.importer_iso3 = partners.iso3
        and flow_sets.year = partners.year
        and exporters.bloc_code = partners.bloc_code
),

member_imports as (
    -- flows imported by a member, flagged intra-bloc when the exporter is a member too
    select
        importers.bloc_code,
        flow_sets.year,
        flow_sets.flow_set,
        flow_sets.exporter_iso3,
        flow_sets.importer_iso3,
        flow_sets.value_usd,
        partners.iso3 is not null as is_intra_bloc
    from flow_sets
    inner join members as importers
        on flow_sets.importer_iso3 = importers.iso3
        and flow_sets.year = importers.year
    left join members as partners
        on flow_sets.exporter_iso3 = partners.iso3
        and flow_sets.year = partners.year
        and importers.bloc_code = partners.bloc_code
),

exports_by_bloc as (
    select
        bloc_code,
        year,
        flow_set,
        sum(value_usd) as exports_usd,
        sum(value_usd) filter (where is_intra_bloc) as intra_bloc_exports_usd,
        sum(value_usd) filter (where not is_intra_bloc) as extra_bloc_exports_usd,
        -- "with the US" = the members other than the US, trading with the US
        sum(value_usd) filter (where exporter_iso3 != 'USA') as non_usa_member_exports_usd,
        sum(value_usd) filter (where exporter_iso3 != 'USA' and importer_iso3 = 'USA') as exports_to_usa_usd
    from member_exports
    group by bloc_code, year, flow_set
),

imports_by_bloc as (
    select
        bloc_code,
        year,
        flow_set,
        sum(value_usd) as imports_usd,
        sum(value_usd) filter (where is_intra_bloc) as intra_bloc_imports_usd,
        sum(value_usd) filter (where not is_intra_bloc) as extra_bloc_imports_usd,
        sum(value_usd) filter (where exporter_iso3 = 'USA' and importer_iso3 != 'USA') as imports_from_usa_usd
    from member_imports
    group by bloc_code, year, flow_set
),

gdp_by_bloc as (
    select
        members.bloc_code,
        members.year,
        sum(macro.gdp_usd) as combined_gdp_usd,
        count(macro.gdp_usd) as members_with_gdp_count
    from members
    left join macro
        on members.iso3 = macro.iso3
        and members.year = macro.year
    group by members.bloc_code, members.year
),

joined as (
    select
        bloc_years.bloc_code,
        bloc_years.year,
        world_totals.flow_set,
        bloc_years.member_count,
        bloc_years.has_usa_as_member,
        coalesce(exports_by_bloc.exports_usd, 0) as exports_usd,
        coalesce(imports_by_bloc.imports_usd, 0) as imports_usd,
        coalesce(exports_by_bloc.intra_bloc_exports_usd, 0) as intra_bloc_exports_usd,
        coalesce(imports_by_bloc.intra_bloc_imports_usd, 0) as intra_bloc_imports_usd,
        coalesce(exports_by_bloc.extra_bloc_exports_usd, 0) as extra_bloc_exports_usd,
        coalesce(imports_by_bloc.extra_bloc_imports_usd, 0) as extra_bloc_imports_usd,
        coalesce(exports_by_bloc.non_usa_member_exports_usd, 0) as non_usa_member_exports_usd,
        coalesce(exports_by_bloc.exports_to_usa_usd, 0) as exports_to_usa_usd,
        coalesce(imports_by_bloc.imports_from_usa_usd, 0) as imports_from_usa_usd,
        world_totals.world_exports_usd,
        world_totals.world_exports_to_usa_usd,
        gdp_by_bloc.combined_gdp_usd,
        gdp_by_bloc.members_with_gdp_count
    from bloc_years
    inner join world_totals on bloc_years.year = world_totals.year
    left join exports_by_bloc
        on bloc_years.bloc_code = exports_by_bloc.bloc_code
        and bloc_years.year = exports_by_bloc.year
        and world_totals.flow_set = exports_by_bloc.flow_set
    left join imports_by_bloc
        on bloc_years.bloc_code = imports_by_bloc.bloc_code
        and bloc_years.year = imports_by_bloc.year
        and world_totals.flow_set = imports_by_bloc.flow_set
    left join gdp_by_bloc
        on bloc_years.bloc_code = gdp_by_bloc.bloc_code
        and bloc_years.year = gdp_by_bloc.year
),

shares as (
    select
        *,
        exports_to_usa_usd - imports_from_usa_usd as trade_balance_with_usa_usd,
        -- intra-bloc share = x_bb / X_b
        intra_bloc_exports_usd / nullif(exports_usd, 0) as intra_bloc_export_share,
        -- x_wb / X_w: the bloc's share of world imports (world exports to the bloc)
        imports_usd / nullif(world_exports_usd, 0) as world_export_share_to_bloc,
        -- x_b,usa / X_b(without the US)
        exports_to_usa_usd / nullif(non_usa_member_exports_usd, 0) as usa_share_of_non_usa_member_exports,
        -- x_w,usa / X_w
        world_exports_to_usa_usd / nullif(world_exports_usd, 0) as world_export_share_to_usa
    from joined
),

metrics as (
    select
        *,
        -- WITS Trade Intensity Index: TII_ij = (x_ij / X_it) / (x_wj / X_wt)
        intra_bloc_export_share / nullif(world_export_share_to_bloc, 0) as trade_intensity_index_intra_bloc,
        usa_share_of_non_usa_member_exports / nullif(world_export_share_to_usa, 0) as trade_intensity_index_with_usa,
        -- (X + M) / GDP, only when every member has a GDP figure
        case
            when members_with_gdp_count = member_count
                then (exports_usd + imports_usd) / nullif(combined_gdp_usd, 0)
        end as trade_to_gdp_ratio
    from shares
),

observed as (
    -- every flow set's intra-bloc figures, null where the year does not observe them
    -- (a bloc with no row in intra_bloc_coverage has no benchmark trade inside it)
    -- (* except and the columns again, not * replace: Spark has no replace)
    select
        metrics.* except ({{ intra_bloc_columns | join(', ') }}),
        {%- for column in intra_bloc_columns %}
        case when coalesce(intra_bloc_coverage.is_intra_bloc_trade_observed, true)
            then metrics.{{ column }} end as {{ column }},
        {%- endfor %}
        intra_bloc_coverage.intra_bloc_trade_share_covered,
        coalesce(intra_bloc_coverage.is_intra_bloc_trade_observed, true) as is_intra_bloc_trade_observed
    from metrics
    left join intra_bloc_coverage
        on metrics.bloc_code = intra_bloc_coverage.bloc_code
        and metrics.year = intra_bloc_coverage.year
),

final as (
    select
        cast(metrics.bloc_code as string) as bloc_code,
        cast(metrics.year as integer) as year,
        cast(metrics.member_count as integer) as member_count,
        cast(metrics.has_usa_as_member as boolean) as has_usa_as_member,
        cast(metrics.exports_usd as double) as exports_usd,
        cast(metrics.imports_usd as double) as imports_usd,
        cast(metrics.intra_bloc_exports_usd as double) as intra_bloc_exports_usd,
        cast(metrics.intra_bloc_imports_usd as double) as intra_bloc_imports_usd,
        cast(metrics.extra_bloc_exports_usd as double) as extra_bloc_exports_usd,
        cast(metrics.extra_bloc_imports_usd as double) as extra_bloc_imports_usd,
        cast(metrics.exports_to_usa_usd as double) as exports_to_usa_usd,
        cast(metrics.imports_from_usa_usd as double) as imports_from_usa_usd,
        cast(metrics.trade_balance_with_usa_usd as double) as trade_balance_with_usa_usd,
        cast(metrics.non_usa_member_exports_usd as double) as non_usa_member_exports_usd,
        cast(metrics.intra_bloc_export_share as double) as intra_bloc_export_share,
        cast(metrics.trade_intensity_index_intra_bloc as double) as trade_intensity_index_intra_bloc,
        cast(metrics.trade_intensity_index_with_usa as double) as trade_intensity_index_with_usa,
        cast(metrics.world_exports_usd as double) as world_exports_usd,
        cast(metrics.world_exports_to_usa_usd as double) as world_exports_to_usa_usd,
        cast(metrics.combined_gdp_usd as double) as combined_gdp_usd,
        cast(metrics.members_with_gdp_count as integer) as members_with_gdp_count,
        cast(metrics.trade_to_gdp_ratio as double) as trade_to_gdp_ratio,
        cast(coverage.trade_source as string) as trade_source,
        cast(coverage.is_source_fallback as boolean) as is_source_fallback,
        cast(coverage.covered_reporter_count as integer) as covered_reporter_count,
        cast(coverage.world_trade_share_covered as double) as world_trade_share_covered,
        cast(metrics.intra_bloc_trade_share_covered as double) as intra_bloc_trade_share_covered,
        cast(metrics.is_intra_bloc_trade_observed as boolean) as is_intra_bloc_trade_observed,
        cast(like_for_like.exports_usd as double) as like_for_like_exports_usd,
        cast(previous_year.exports_usd as double) as like_for_like_exports_previous_year_usd,
        cast(like_for_like.exports_to_usa_usd as double) as like_for_like_exports_to_usa_usd,
        cast(previous_year.exports_to_usa_usd as double) as like_for_like_exports_to_usa_previous_year_usd,
        cast(like_for_like.intra_bloc_export_share as double) as like_for_like_intra_bloc_export_share,
        cast(previous_year.intra_bloc_export_share as double) as like_for_like_intra_bloc_export_share_previous_year,
        cast(like_for_like.trade_intensity_index_intra_bloc as double) as like_for_like_trade_intensity_index_intra_bloc,
        cast(previous_year.trade_intensity_index_intra_bloc as double) as like_for_like_trade_intensity_index_intra_bloc_previous_year
    from observed as metrics
    left join observed as like_for_like
        on metrics.bloc_code = like_for_like.bloc_code
        and metrics.year = like_for_like.year
        and like_for_like.flow_set = 'like_for_like'
    left join observed as previous_year
        on metrics.bloc_code = previous_year.bloc_code
        and metrics.year = previous_year.year
        and previous_year.flow_set = 'like_for_like_previous_year'
    left join coverage on metrics.year = coverage.year
    where metrics.flow_set = 'all'
)

select * from final
