"""Announced tariff measures: the project's own documented CSV format.

One row per measure: who imposes it (`imposing_iso3`), on whom (`target_iso3`,
`*` for every partner), on which HS prefixes (`hs_scope`: `;`-separated
prefixes, `*` for all goods, `see_list` where the official scope is a long HTS8
list not reproduced), the rate in percent, how it combines with the base rate
(`additional`: added on top of MFN; `all_in`: MFN plus the addition equals the
rate, so the addition is max(0, rate - MFN)), and when it is in force (both
dates inclusive; an empty `in_force_to` means still in force). `authority`,
`legal_ref`, `confidence` and `note` keep each figure's provenance.
"""

from .formats import Check, Column, FileFormat, RawTable, SourceKind

MEASURES = RawTable(
    "measures_tariff_measures",
    (
        Column("measure_id", "VARCHAR", required=True),
        Column("imposing_iso3", "VARCHAR", required=True),
        Column("target_iso3", "VARCHAR", required=True, description="ISO3 or * for all"),
        Column("hs_scope", "VARCHAR", required=True, description="HS prefixes separated by ;"),
        Column("rate_pct", "DOUBLE", required=True),
        Column("rate_kind", "VARCHAR", required=True, description="additional or all_in"),
        Column("in_force_from", "DATE", required=True),
        Column("in_force_to", "DATE", description="inclusive; empty while in force"),
        Column("authority", "VARCHAR"),
        Column("legal_ref", "VARCHAR"),
        Column("confidence", "VARCHAR"),
        Column("note", "VARCHAR"),
    ),
    "Announced additional tariff measures with their scope and dates.",
)

MEASURES_CSV = FileFormat(
    name="tariff_measures_csv",
    description="tradebloc tariff measures CSV",
    table=MEASURES,
    delimiter=",",
    columns=MEASURES.columns,
    key=("measure_id",),
    checks=(
        Check(
            bad_when="rate_kind not in ('additional', 'all_in')",
            reason="'column rate_kind: expected additional or all_in, found ''' || rate_kind || ''''",
        ),
        Check(
            bad_when="not regexp_full_match(hs_scope, '\\*|see_list|[0-9]{2,10}(;[0-9]{2,10})*')",
            reason=(
                "'column hs_scope: expected *, see_list or HS prefixes like 8703;8708, found ''' "
                "|| hs_scope || ''''"
            ),
        ),
        Check(
            bad_when="not regexp_full_match(imposing_iso3, '[A-Z]{3}') "
            "or not regexp_full_match(target_iso3, '\\*|[A-Z]{3}')",
            reason="'columns imposing_iso3/target_iso3: expected ISO3 codes (or * for the target)'",
        ),
        Check(
            bad_when="rate_pct < 0",
            reason="'column rate_pct: a rate cannot be negative, found ' || rate_pct",
        ),
        Check(
            bad_when="in_force_to < in_force_from",
            reason="'in_force_to ' || in_force_to || ' is before in_force_from ' || in_force_from",
        ),
    ),
)

MEASURES_KIND = SourceKind("measures", (MEASURES_CSV,), "Announced tariff measures")
