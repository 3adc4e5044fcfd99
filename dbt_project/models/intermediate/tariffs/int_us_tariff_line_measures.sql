-- Which US measures cover which statistical lines: a line is in a measure's product scope
-- when one of the scope's prefixes starts its code (or, for an HTS8 line without HTS10
-- lines, when a listed HTS10 line falls under it), and exempt when its products_excluded
-- scope covers it too. listed_from: the day the line joined the scope (1900-01-01: always).
with lines as (
    select * from {{ ref('int_us_tariff_lines') }}
),

measures as (
    select * from {{ ref('us_tariff_measures') }}
),

scopes as (
    select * from {{ ref('int_us_tariff_product_scopes') }}
),

line_prefixes as (
    -- every prefix of every line's code, to match the scopes by equality
    select statistical_code, left(statistical_code, n) as hts_prefix
    from (
        select statistical_code, {{ unnest_list(integer_series(2, 'length(statistical_code)')) }} as n
        from lines
    ) as lengths
),

line_scopes as (
    select line_prefixes.statistical_code, scopes.scope_id, min(scopes.listed_from) as listed_from
    from line_prefixes
    inner join scopes on line_prefixes.hts_prefix = scopes.hts_prefix
    group by all
    union all
    -- an HTS10 entry under an HTS8 line that the landed HTS does not split
    select lines.statistical_code, scopes.scope_id, min(scopes.listed_from)
    from lines
    inner join scopes
        on length(lines.statistical_code) = 8
        and length(scopes.hts_prefix) > 8
        and left(scopes.hts_prefix, 8) = lines.statistical_code
    group by all
),

in_scope as (
    select measures.measure_id, lines.statistical_code, date '1900-01-01' as listed_from
    from measures, lines
    where measures.product_scope = '*'
    union all
    select measures.measure_id, line_scopes.statistical_code, min(line_scopes.listed_from)
    from measures
    inner join line_scopes on measures.product_scope = line_scopes.scope_id
    group by all
),

final as (
    select
        in_scope.measure_id,
        lines.hts8,
        in_scope.statistical_code,
        in_scope.listed_from,
        exists (
            select 1 from line_scopes
            where line_scopes.statistical_code = in_scope.statistical_code
                and line_scopes.scope_id = measures.products_excluded
        ) as is_exempt
    from in_scope
    inner join measures on in_scope.measure_id = measures.measure_id
    inner join lines on in_scope.statistical_code = lines.statistical_code
)

select * from final
