"""CEPII BACI: yearly HS6 flow files and their country and product code files.

Real files: `BACI_HS17_Y2023_V202401.csv` (t,i,j,k,v,q: v in thousands of USD,
q in metric tons, k an HS6 code that must stay text), `country_codes_V202401.csv`
(two header variants across releases) and `product_codes_HS17_V202401.csv`.
Units are converted in staging, not here.
"""

from .formats import (
    Check,
    Column,
    FileFormat,
    RawTable,
    SourceKind,
    hs6_check,
    known_code_check,
)

FLOWS = RawTable(
    "baci_flows",
    (
        Column("t", "SMALLINT", required=True, description="year"),
        Column("i", "INTEGER", required=True, description="exporter (BACI numeric code)"),
        Column("j", "INTEGER", required=True, description="importer (BACI numeric code)"),
        Column("k", "VARCHAR", required=True, description="HS6 product code, as text"),
        Column("v", "DOUBLE", required=True, description="value, thousands of current USD"),
        Column(
            "q", "DOUBLE", na=True, description="quantity, metric tons (blank, spaces or NA when unknown)"
        ),
    ),
    "BACI reconciled bilateral flows, one row per year, exporter, importer and HS6 product.",
)

COUNTRY_CODES = RawTable(
    "baci_country_codes",
    (
        Column("country_code", "INTEGER", required=True),
        Column("country_name", "VARCHAR"),
        Column("country_iso2", "VARCHAR"),
        Column("country_iso3", "VARCHAR"),
    ),
    "BACI's country list: its numeric codes with names and ISO codes.",
)

PRODUCT_CODES = RawTable(
    "baci_product_codes",
    (
        Column("code", "VARCHAR", required=True, description="HS6 code, as text"),
        Column("description", "VARCHAR"),
    ),
    "BACI's product list for one HS edition.",
)

FLOWS_FORMAT = FileFormat(
    name="baci_flows_csv",
    description="BACI yearly data file",
    table=FLOWS,
    delimiter=",",
    columns=FLOWS.columns,
    key=("t", "i", "j", "k"),
    checks=(
        hs6_check("k"),
        Check(
            bad_when="v <= 0",
            reason="'column v: BACI keeps only strictly positive flows, found ' || v",
        ),
        Check(bad_when="q < 0", reason="'column q: a quantity cannot be negative, found ' || q"),
        known_code_check("i", "comtrade"),
        known_code_check("j", "comtrade"),
    ),
)

COUNTRY_CODES_FORMAT = FileFormat(
    name="baci_country_codes_csv",
    description="BACI country codes",
    table=COUNTRY_CODES,
    delimiter=",",
    columns=COUNTRY_CODES.columns,
    key=("country_code",),
)

# Releases before 2023 used other names for the same columns.
COUNTRY_CODES_LEGACY_FORMAT = FileFormat(
    name="baci_country_codes_legacy_csv",
    description="BACI country codes (releases before 2023)",
    table=COUNTRY_CODES,
    delimiter=",",
    columns=(
        Column("country_code", "INTEGER", required=True),
        Column("country_name_abbreviation"),
        Column("country_name_full"),
        Column("iso_2digit_alpha"),
        Column("iso_3digit_alpha"),
    ),
    key=("country_code",),
    project=lambda _: (
        "select country_code, country_name_abbreviation as country_name, "
        "iso_2digit_alpha as country_iso2, iso_3digit_alpha as country_iso3, "
        "_source_file, _line_number from good"
    ),
)

PRODUCT_CODES_FORMAT = FileFormat(
    name="baci_product_codes_csv",
    description="BACI product codes",
    table=PRODUCT_CODES,
    delimiter=",",
    columns=PRODUCT_CODES.columns,
    key=("code",),
    checks=(hs6_check("code"),),
)

BACI = SourceKind(
    "baci",
    (FLOWS_FORMAT, COUNTRY_CODES_FORMAT, COUNTRY_CODES_LEGACY_FORMAT, PRODUCT_CODES_FORMAT),
    "CEPII BACI reconciled bilateral trade flows at HS6",
)
