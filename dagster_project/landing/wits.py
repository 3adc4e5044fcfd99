"""WITS / UNCTAD TRAINS bulk AVE files: MFN and preferential tariffs at HS6.

Rates are percent ad valorem; Reporter_ISO_N and Partner are ISO numeric codes
(840 for the US, unlike Comtrade's 842); ProductCode is HS6 text.
"""

from .formats import Check, Column, FileFormat, RawTable, SourceKind, hs6_check, ident, known_code_check

_LEADING = (
    Column("NomenCode", "VARCHAR", required=True, description="HS edition, H0..H6"),
    Column("Reporter_ISO_N", "INTEGER", required=True, description="importer, ISO numeric"),
    Column("Year", "SMALLINT", required=True),
    Column("ProductCode", "VARCHAR", required=True, description="HS6, as text"),
)
_STATISTICS = (
    Column("Sum_Of_Rates", "DOUBLE"),
    Column("Min_Rate", "DOUBLE"),
    Column("Max_Rate", "DOUBLE"),
    Column("SimpleAverage", "DOUBLE", required=True, description="percent ad valorem"),
    Column("Nbr_NA_Lines", "INTEGER"),
    Column("Nbr_Free_Lines", "INTEGER"),
    Column("Nbr_AVE_Lines", "INTEGER"),
    Column("Nbr_Dutiable_Lines", "INTEGER"),
    Column("TotalNoOfValidLines", "INTEGER"),
    Column("TotalNoOfLines", "INTEGER"),
    Column("EstCode", "VARCHAR"),
)
_PARTNER = Column("Partner", "INTEGER", required=True, description="exporter, ISO numeric")

MFN = RawTable("wits_mfn_tariffs", (*_LEADING, *_STATISTICS), "WITS MFN applied tariffs (AVE).")
PREFERENTIAL = RawTable(
    "wits_preferential_tariffs",
    (*_LEADING, _PARTNER, *_STATISTICS),
    "WITS preferential tariffs (AVE) by partner.",
)

_CHECKS = (
    hs6_check("ProductCode"),
    *(
        Check(
            bad_when=f"{ident(column)} < 0",
            reason=f"'column {column}: a tariff rate cannot be negative, found ' || {ident(column)}",
        )
        for column in ("Min_Rate", "SimpleAverage")
    ),
    known_code_check("Reporter_ISO_N", "iso_numeric"),
)

MFN_CSV = FileFormat(
    name="wits_mfn_ave_csv",
    description="WITS/TRAINS MFN AVE file",
    table=MFN,
    delimiter=",",
    columns=MFN.columns,
    key=("NomenCode", "Reporter_ISO_N", "Year", "ProductCode"),
    checks=_CHECKS,
)
PREFERENTIAL_CSV = FileFormat(
    name="wits_preferential_ave_csv",
    description="WITS/TRAINS preferential AVE file",
    table=PREFERENTIAL,
    delimiter=",",
    columns=PREFERENTIAL.columns,
    key=("NomenCode", "Reporter_ISO_N", "Year", "ProductCode", "Partner"),
    checks=(*_CHECKS, known_code_check("Partner", "iso_numeric")),
)

WITS = SourceKind("wits", (MFN_CSV, PREFERENTIAL_CSV), "WITS/TRAINS tariffs")
