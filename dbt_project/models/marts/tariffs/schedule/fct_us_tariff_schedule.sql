-- The US duty on each HTS8 line from each exporter over time, each authority's part and
-- the total, as intervals (valid_from..valid_to inclusive, null = still in force) that
-- change only where a part changes. Exporters: the CJK members on every line of the
-- landed HTS, and every other exporter to the USA on the lines of the HS6 it ships.
-- The rules (docs/us-tariffs.md; all of them data in the us_tariffs seeds):
--   1. a measure covers an exporter's statistical line (HTS10, or HTS8 without HTS10
--      lines) on a day when its partners, product scope and dates cover them, and the
--      line is not in its products_excluded scope (then the rule says 'exempt');
--   2. within a programme, only the measures of the highest precedence apply, and of
--      those the highest rate (a deal, quota or carve-out replaces the general rate);
--   3. a stacking rule drops a measure when another duty it names applies that day;
--   4. a measure inclusive of the base rate adds max(0, rate - base rate), others their
--      rate; the total is the base rate plus every part;
--   5. an HTS8 line's parts are the mean over its statistical lines.
-- Built whole in every run (it spans every year), after the yearly trade flows it reads.
{%- set part_columns = {
    'Section 232': 'section_232_pct',
    'Section 301': 'section_301_pct',
    'IEEPA fentanyl': 'ieepa_fentanyl_pct',
    'IEEPA reciprocal': 'ieepa_reciprocal_pct',
    'Section 122': 'section_122_pct',
    'other': 'other_pct',
} %}
with lines as (
    select * from {{ ref('int_us_tariff_lines') }}
),

line_measures as (
    select * from {{ ref('int_us_tariff_line_measures') }}
),

measures as (
    select * from {{ ref('us_tariff_measures') }}
),

stacking_rules as (
    select * from {{ ref('us_tariff_stacking_rules') }}
),

memberships as (
    select * from {{ ref('bloc_memberships') }}
),

traded as (
    select distinct exporter_iso3, hs6
    from {{ ref('int_trade_flows_reconciled') }}
    where importer_iso3 = 'USA' and exporter_iso3 != 'USA'
),

hts8_lines as (
    select hts8, hs6, any_value(mfn_rate_pct) as mfn_rate_pct, any_value(has_specific_duty) as has_specific_duty,
        any_value(statistical_lines) as statistical_lines, any_value(agreement_rates) as agreement_rates
    from lines
    group by hts8, hs6
),

partner_lines as (
    select memberships.iso3 as exporter_iso3, hts8_lines.hts8
    from memberships, hts8_lines
    where memberships.bloc_code = 'CJK'
    union
    select traded.exporter_iso3, hts8_lines.hts8
    from traded
    inner join hts8_lines on traded.hs6 = hts8_lines.hs6
),

partner_agreement_rates as (
    -- the partner's entry in the line's free-trade-agreement rates, if it lists its programme
    select
        partner_lines.exporter_iso3,
        hts8_lines.*,
        {{ list_first(list_filter(
            'hts8_lines.agreement_rates', 'r', 'r.partner_iso3 = partner_lines.exporter_iso3'
        )) }} as agreement_rate
    from partner_lines
    inner join hts8_lines on partner_lines.hts8 = hts8_lines.hts8
),

base_rates as (
    -- the partner's free-trade-agreement rate where the line lists its programme, else MFN
    select
        *,
        coalesce(partner_agreement_rates.agreement_rate.rate_pct, mfn_rate_pct) as base_rate_pct,
        coalesce(partner_agreement_rates.agreement_rate.agreement, 'MFN') as base_rate_source
    from partner_agreement_rates
),

measure_partner_tokens as (
    select measure_id, valid_from, partners_excluded, trim(token) as token
    from (
        select measure_id, valid_from, partners_excluded, {{ unnest_list(split_list('partners', "';'")) }} as token
        from measures
    ) as measure_tokens
),

measure_partners as (
    -- a token is '*', an ISO3 code, or a bloc whose member the exporter was when the measure began
    -- (a cross join and a where: Spark allows no correlated subquery in a join condition)
    select distinct tokens.measure_id, exporters.exporter_iso3
    from measure_partner_tokens as tokens
    cross join (select distinct exporter_iso3 from partner_lines) as exporters
    where (
        tokens.token in ('*', exporters.exporter_iso3)
        or exists (
            select 1 from memberships
            where memberships.bloc_code = tokens.token
                and memberships.iso3 = exporters.exporter_iso3
                and tokens.valid_from between memberships.valid_from and coalesce(memberships.valid_to, date '9999-12-31')
        )
    )
    and not array_contains({{ split_list("coalesce(tokens.partners_excluded, '')", "';'") }}, exporters.exporter_iso3)
),

breakpoints as (
    -- every day on which some part may change, from 2018 (the first Section 232 and 301 duties)
    select date '2018-01-01' as day
    union select valid_from from measures
    union select valid_to + 1 from measures where valid_to is not null
    union select valid_from from stacking_rules
    union select valid_to + 1 from stacking_rules where valid_to is not null
    union select listed_from from line_measures
),

segments as (
    select day as segment_from, lead(day) over (order by day) - 1 as segment_to
    from breakpoints
    where day >= date '2018-01-01'
),

in_force as (
    select
        measure_partners.exporter_iso3,
        line_measures.hts8,
        line_measures.statistical_code,
        segments.segment_from,
        line_measures.is_exempt,
        measures.*
    from line_measures
    inner join measures on line_measures.measure_id = measures.measure_id
    inner join measure_partners on line_measures.measure_id = measure_partners.measure_id
    inner join partner_lines
        on measure_partners.exporter_iso3 = partner_lines.exporter_iso3
        and line_measures.hts8 = partner_lines.hts8
    inner join segments
        on segments.segment_from >= greatest(measures.valid_from, line_measures.listed_from)
        and segments.segment_from <= coalesce(measures.valid_to, date '9999-12-31')
),

chosen as (
    -- rule 2: one measure per programme
    select
        *,
        count(*) over (partition by exporter_iso3, statistical_code, segment_from, programme) > 1
            and precedence > 0 as has_replaced
    from in_force
    where not is_exempt
    qualify row_number() over (
        partition by exporter_iso3, statistical_code, segment_from, programme
        order by precedence desc, rate_pct desc, measure_id  -- the id: the same choice every build
    ) = 1
),

present as (
    select exporter_iso3, statistical_code, segment_from,
        {{ dbt.array_concat(aggregate_list('authority'), aggregate_list('programme')) }} as duties
    from chosen
    group by all
),

dropped as (
    -- rule 3
    select chosen.exporter_iso3, chosen.statistical_code, chosen.segment_from, chosen.measure_id,
        min(rules.rule_id) as rule_id
    from chosen
    inner join present using (exporter_iso3, statistical_code, segment_from)
    inner join stacking_rules as rules
        on {{ list_has_any('present.duties', split_list('rules.when_present', "';'")) }}
        and {{ list_has_any(dbt.array_construct(['chosen.authority', 'chosen.programme']), split_list('rules.drops', "';'")) }}
        and chosen.segment_from between rules.valid_from and coalesce(rules.valid_to, date '9999-12-31')
        and (rules.partners = '*' or array_contains({{ split_list('rules.partners', "';'") }}, chosen.exporter_iso3))
    group by all
),

applied as (
    -- rule 4, per statistical line
    select
        chosen.*,
        dropped.rule_id as dropped_by,
        case
            when dropped.rule_id is not null then 0
            when chosen.rate_form = 'inclusive_of_base' then greatest(0, chosen.rate_pct - base_rates.base_rate_pct)
            else chosen.rate_pct
        end as part_pct,
        case
            when dropped.rule_id is not null then dropped.rule_id
            when chosen.rate_form = 'inclusive_of_base' then 'inclusive of base: ' || chosen.measure_id
            when chosen.has_replaced then 'replaces the general rate: ' || chosen.measure_id
        end as rule
    from chosen
    left join dropped using (exporter_iso3, statistical_code, segment_from, measure_id)
    inner join base_rates using (exporter_iso3, hts8)
),

exemptions as (
    select distinct exporter_iso3, hts8, statistical_code, segment_from, 'exempt: ' || products_excluded as rule
    from in_force
    where is_exempt
),

statistical_line_parts as (
    select
        exporter_iso3,
        hts8,
        statistical_code,
        segment_from,
        {%- for authority, column in part_columns.items() %}
        coalesce(sum(part_pct) filter (where authority = '{{ authority }}'), 0) as {{ column }},
        {%- endfor %}
        -- rounded: a float sum's last bits depend on the order DuckDB's threads add in,
        -- and would make equal lines unequal (and the schedule differ between builds)
        {{ round_double('sum(part_pct)', 6) }} as parts_pct,
        {{ aggregate_list('measure_id') }} filter (where dropped_by is null) as measure_ids,
        {{ aggregate_list('rule') }} filter (where rule is not null) as rules
    from applied
    group by all
),

statistical_line_rules as (
    select exporter_iso3, hts8, statistical_code, segment_from, rules, measure_ids, parts_pct
    from statistical_line_parts
    union all
    select exporter_iso3, hts8, statistical_code, segment_from, {{ dbt.array_construct(['rule']) }} as rules,
        null as measure_ids, null as parts_pct
    from exemptions
),

hts8_parts as (
    -- rule 5: lines without a measure count as zero
    select
        statistical_line_parts.exporter_iso3,
        statistical_line_parts.hts8,
        statistical_line_parts.segment_from,
        {%- for column in part_columns.values() %}
        sum({{ column }}) / any_value(base_rates.statistical_lines) as {{ column }},
        {%- endfor %}
        (count(*) = any_value(base_rates.statistical_lines) and min(parts_pct) = max(parts_pct))
            or max(parts_pct) = 0 as is_uniform_across_statistical_lines
    from statistical_line_parts
    inner join base_rates using (exporter_iso3, hts8)
    group by all
),

hts8_rules as (
    select
        exporter_iso3,
        hts8,
        segment_from,
        -- (array_sort, array_distinct and flatten: the same on DuckDB and Spark)
        array_sort(array_distinct(flatten({{ aggregate_list('measure_ids') }}))) as measure_ids,
        array_sort(array_distinct(flatten({{ aggregate_list('rules') }}))) as rules
    from statistical_line_rules
    group by all
),

grid as (
    select
        base_rates.exporter_iso3,
        base_rates.hts8,
        base_rates.hs6,
        segments.segment_from,
        segments.segment_to,
        base_rates.mfn_rate_pct,
        base_rates.base_rate_pct,
        base_rates.base_rate_source,
        base_rates.has_specific_duty,
        base_rates.statistical_lines,
        {%- for column in part_columns.values() %}
        {{ round_double('coalesce(hts8_parts.' ~ column ~ ', 0)', 6) }} as {{ column }},
        {%- endfor %}
        coalesce(hts8_parts.is_uniform_across_statistical_lines, true) as is_uniform_across_statistical_lines,
        {{ list_join('coalesce(hts8_rules.measure_ids, ' ~ empty_list() ~ ')', "','") }} as measure_ids,
        -- (cardinality: the number of elements on DuckDB and Spark)
        case
            when cardinality(hts8_rules.rules) > 0 then {{ list_join('hts8_rules.rules', "'; '") }}
            when cardinality(hts8_rules.measure_ids) > 0 then 'stacked'
            else 'base rate only'
        end as total_rule
    from base_rates
    cross join segments
    left join hts8_parts using (exporter_iso3, hts8, segment_from)
    left join hts8_rules using (exporter_iso3, hts8, segment_from)
),

islands as (
    -- consecutive segments with the same parts, measures and rule become one interval
    select
        *,
        row_number() over (partition by exporter_iso3, hts8 order by segment_from)
        - row_number() over (
            partition by exporter_iso3, hts8, {{ part_columns.values() | join(', ') }},
                is_uniform_across_statistical_lines, measure_ids, total_rule
            order by segment_from
        ) as island
    from grid
),

final as (
    select
        exporter_iso3,
        hts8,
        any_value(hs6) as hs6,
        min(segment_from) as valid_from,
        nullif(max(coalesce(segment_to, date '9999-12-31')), date '9999-12-31') as valid_to,
        any_value(mfn_rate_pct) as mfn_rate_pct,
        any_value(base_rate_pct) as base_rate_pct,
        any_value(base_rate_source) as base_rate_source,
        {%- for column in part_columns.values() %}
        {{ column }},
        {%- endfor %}
        {{ round_double('any_value(base_rate_pct) + ' ~ (part_columns.values() | join(' + ')), 6) }} as total_rate_pct,
        total_rule,
        measure_ids,
        any_value(has_specific_duty) as has_specific_duty,
        any_value(statistical_lines) as statistical_lines,
        is_uniform_across_statistical_lines
    from islands
    group by exporter_iso3, hts8, island, {{ part_columns.values() | join(', ') }},
        is_uniform_across_statistical_lines, measure_ids, total_rule
)

select * from final
