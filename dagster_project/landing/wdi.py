"""World Bank WDI: the wide indicator CSV, landed in long form, and its country metadata.

`API_<indicator>_DS2_en_csv_v2_<n>.csv` has 4 preamble lines, then a header with
one column per year and a trailing comma on every line; an empty cell is no
data. Any indicator lands (GDP, population, ...), one row per country, indicator
and year with a value. The zip the World Bank ships also holds `Metadata_Country_...`
(region and income group of each economy; notes with line breaks inside quotes)
and `Metadata_Indicator_...` (the indicator's definition): both land too.
"""

from .formats import Column, FileFormat, RawTable, SourceKind, ident

INDICATOR_VALUES = RawTable(
    "wdi_indicator_values",
    (
        Column("country_name", "VARCHAR"),
        Column("country_code", "VARCHAR", description="ISO3, or a WDI aggregate code (WLD, EAS)"),
        Column("indicator_name", "VARCHAR"),
        Column("indicator_code", "VARCHAR", description="e.g. NY.GDP.MKTP.CD"),
        Column("year", "SMALLINT"),
        Column("value", "DOUBLE", description="in the indicator's own unit"),
    ),
    "WDI indicator values in long form: country x indicator x year.",
)

COUNTRY_METADATA = RawTable(
    "wdi_country_metadata",
    (
        Column("Country Code", "VARCHAR", required=True),
        Column("Region", "VARCHAR", description="empty for aggregates"),
        Column("IncomeGroup", "VARCHAR"),
        Column("SpecialNotes", "VARCHAR"),
        Column("TableName", "VARCHAR"),
    ),
    "WDI country metadata (region and income group; aggregates have no region).",
)


INDICATOR_METADATA = RawTable(
    "wdi_indicator_metadata",
    (
        Column("INDICATOR_CODE", "VARCHAR", required=True, description="e.g. NY.GDP.MKTP.CD"),
        Column("INDICATOR_NAME", "VARCHAR"),
        Column("SOURCE_NOTE", "VARCHAR", description="the definition, as the World Bank writes it"),
        Column("SOURCE_ORGANIZATION", "VARCHAR"),
    ),
    "WDI indicator metadata (what an indicator measures, and who publishes it).",
)


def _unpivot(year_columns: list[str]) -> str:
    rows = f"(unpivot good on {', '.join(ident(y) for y in year_columns)} into name year value value)"
    if not year_columns:  # a header without year columns: no values
        rows = "(select *, null as year, null::double as value from good where false)"
    return f"""
        select "Country Name" as country_name, "Country Code" as country_code,
               "Indicator Name" as indicator_name, "Indicator Code" as indicator_code,
               cast(year as smallint) as year, value, _source_file, _line_number
        from {rows}
    """


INDICATOR_CSV = FileFormat(
    name="wdi_indicator_csv",
    description="World Bank WDI indicator CSV",
    table=INDICATOR_VALUES,
    delimiter=",",
    preamble_lines=4,
    columns=(
        Column("Country Name"),
        Column("Country Code", required=True),
        Column("Indicator Name"),
        Column("Indicator Code", required=True),
    ),
    year_column_type="DOUBLE",
    key=("Country Code", "Indicator Code"),
    project=_unpivot,
)

METADATA_CSV = FileFormat(
    name="wdi_country_metadata_csv",
    description="World Bank WDI country metadata CSV",
    table=COUNTRY_METADATA,
    delimiter=",",
    columns=COUNTRY_METADATA.columns,
    key=("Country Code",),
)

INDICATOR_METADATA_CSV = FileFormat(
    name="wdi_indicator_metadata_csv",
    description="World Bank WDI indicator metadata CSV",
    table=INDICATOR_METADATA,
    delimiter=",",
    columns=INDICATOR_METADATA.columns,
    key=("INDICATOR_CODE",),
)

WDI = SourceKind(
    "wdi",
    (INDICATOR_CSV, METADATA_CSV, INDICATOR_METADATA_CSV),
    "World Bank World Development Indicators",
)
