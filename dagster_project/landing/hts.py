"""USITC Harmonized Tariff Schedule, CSV export.

Rates are text (`Free`, `2.5%`, `1.1¢/kg + 4.9%`, `$1.035/kg`). The text is kept;
the ad valorem part is parsed into a number and any specific (per-unit) part is
flagged, never converted by a guessed unit value. Statistical 10-digit lines
usually have no rate: staging gives them their 8-digit parent's.
"""

from .formats import Check, Column, FileFormat, RawTable, SourceKind, ident

COLUMNS = (
    Column("HTS Number", "VARCHAR", description="dotted, e.g. 8703.23.01.10; empty on text rows"),
    Column("Indent", "SMALLINT", required=True),
    Column("Description", "VARCHAR"),
    Column("Unit of Quantity", "VARCHAR"),
    Column("General Rate of Duty", "VARCHAR"),
    Column("Special Rate of Duty", "VARCHAR"),
    Column("Column 2 Rate of Duty", "VARCHAR"),
    Column("Quota Quantity", "VARCHAR"),
    Column("Additional Duties", "VARCHAR"),
)
_PARSED = tuple(
    column
    for rate in ("general", "column2")
    for column in (
        Column(f"{rate}_ad_valorem_pct", "DOUBLE", description="ad valorem part, percent"),
        Column(f"{rate}_has_specific", "BOOLEAN", description="a per-unit part exists"),
    )
)

TARIFF_LINES = RawTable(
    "hts_tariff_lines",
    (*COLUMNS, *_PARSED),
    "US HTS lines with their rate texts and the parsed ad valorem part.",
)


def _ad_valorem(text_column: str) -> str:
    """Sum of the `N%` parts; 0 for Free or a purely specific rate; NULL for no rate
    and for a text the parser does not understand (e.g. "The rate applicable to ...")."""
    col = ident(text_column)
    return f"""case
        when nullif(trim({col}), '') is null then null
        when regexp_matches({col}, '^\\s*Free', 'i') then 0
        when regexp_matches({col}, '[0-9]\\s*%') then list_sum(list_transform(
            regexp_extract_all({col}, '([0-9]+(?:\\.[0-9]+)?)\\s*%', 1),
            lambda p: cast(p as double)))
        when {_has_specific(text_column)} then 0
    end"""


def _has_specific(text_column: str) -> str:
    col = ident(text_column)
    return f"regexp_matches(regexp_replace({col}, '\\(.*\\)', ''), '¢|\\$|/')"


def _project(_: list[str]) -> str:
    columns = ", ".join(ident(c.name) for c in COLUMNS)
    return f"""
        select {columns},
            {_ad_valorem("General Rate of Duty")} as general_ad_valorem_pct,
            {_has_specific("General Rate of Duty")} as general_has_specific,
            {_ad_valorem("Column 2 Rate of Duty")} as column2_ad_valorem_pct,
            {_has_specific("Column 2 Rate of Duty")} as column2_has_specific,
            _source_file, _line_number
        from good
    """


_NUMBER = ident("HTS Number")
HTS_CSV = FileFormat(
    name="usitc_hts_csv",
    description="USITC HTS CSV export",
    table=TARIFF_LINES,
    delimiter=",",
    columns=COLUMNS,
    key=("HTS Number",),
    checks=(
        Check(
            bad_when=(
                f"{_NUMBER} is not null and not regexp_full_match({_NUMBER}, "
                "'[0-9]{4}(\\.[0-9]{2}(\\.[0-9]{2}(\\.[0-9]{2})?)?)?')"
            ),
            reason=(
                "'column HTS Number: expected a dotted code like 8703.23.01 or 8703.23.01.10, "
                f"found ''' || {_NUMBER} || ''''"
            ),
        ),
    ),
    project=_project,
)

HTS = SourceKind("hts", (HTS_CSV,), "USITC Harmonized Tariff Schedule of the United States")
