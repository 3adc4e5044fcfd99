"""UN Comtrade (comtradeplus): the API "get" CSV and the gzipped tab-delimited bulk files.

Both carry the same 47 fields; annual (freqCode A, refMonth 52) and monthly rows
land in one table. Values are US dollars, weights kg. Breakdown totals (partner
World, partner2, customs procedure, mode of supply and transport) are kept here
and filtered in staging.
"""

from .formats import Check, Column, FileFormat, RawTable, SourceKind, ident, known_code_check

_V, _I, _D, _B = "VARCHAR", "INTEGER", "DOUBLE", "BOOLEAN"
_FIELDS = (
    ("typeCode", _V, True),
    ("freqCode", _V, True),
    ("refPeriodId", _I, False),
    ("refYear", "SMALLINT", True),
    ("refMonth", "SMALLINT", False),
    ("period", _V, True),
    ("reporterCode", _I, True),
    ("reporterISO", _V, False),
    ("reporterDesc", _V, False),
    ("flowCode", _V, True),
    ("flowDesc", _V, False),
    ("partnerCode", _I, True),
    ("partnerISO", _V, False),
    ("partnerDesc", _V, False),
    ("partner2Code", _I, False),
    ("partner2ISO", _V, False),
    ("partner2Desc", _V, False),
    ("classificationCode", _V, True),
    ("classificationSearchCode", _V, False),
    ("isOriginalClassification", _B, False),
    ("cmdCode", _V, True),
    ("cmdDesc", _V, False),
    ("aggrLevel", "SMALLINT", False),
    ("isLeaf", _B, False),
    ("customsCode", _V, False),
    ("customsDesc", _V, False),
    ("mosCode", _V, False),
    ("motCode", _I, False),
    ("motDesc", _V, False),
    ("qtyUnitCode", _I, False),
    ("qtyUnitAbbr", _V, False),
    ("qty", _D, False),
    ("isQtyEstimated", _B, False),
    ("altQtyUnitCode", _I, False),
    ("altQtyUnitAbbr", _V, False),
    ("altQty", _D, False),
    ("isAltQtyEstimated", _B, False),
    ("netWgt", _D, False),
    ("isNetWgtEstimated", _B, False),
    ("grossWgt", _D, False),
    ("isGrossWgtEstimated", _B, False),
    ("cifvalue", _D, False),
    ("fobvalue", _D, False),
    ("primaryValue", _D, True),
    ("legacyEstimationFlag", _I, False),
    ("isReported", _B, False),
    ("isAggregate", _B, False),
)
# Weights and quantities may be missing, written as empty or NA.
_MAY_BE_NA = {"qty", "altQty", "netWgt", "grossWgt"}
COLUMNS = tuple(Column(name, type_, required, na=name in _MAY_BE_NA) for name, type_, required in _FIELDS)

FLOWS = RawTable(
    "comtrade_flows",
    COLUMNS,
    "UN Comtrade records as downloaded (API CSV or bulk files), annual and monthly.",
)

_CMD = ident("cmdCode")
_CHECKS = (
    *(
        Check(
            bad_when=f"{ident(col)} < 0",
            reason=f"'column {col}: a trade value cannot be negative, found ' || {ident(col)}",
        )
        for col in ("primaryValue", "cifvalue", "fobvalue", "netWgt", "grossWgt")
    ),
    Check(
        bad_when=f"not ({_CMD} = 'TOTAL' or regexp_full_match({_CMD}, '[0-9]{{2}}|[0-9]{{4}}|[0-9]{{6}}'))",
        reason=(
            f"'column cmdCode: expected TOTAL or an HS code of 2, 4 or 6 digits as text, found '''"
            f" || {_CMD} || '''' || case when regexp_full_match({_CMD}, '[0-9]{{1}}|[0-9]{{3}}|[0-9]{{5}}')"
            " then ' (a leading zero lost?)' else '' end"
        ),
    ),
    Check(
        bad_when=f"{ident('freqCode')} not in ('A', 'M')",
        reason="'column freqCode: expected A (annual) or M (monthly), found ' || \"freqCode\"",
    ),
    known_code_check("reporterCode", "comtrade"),
    known_code_check("partnerCode", "comtrade"),
    known_code_check("partner2Code", "comtrade"),
)
_KEY = (
    "typeCode",
    "freqCode",
    "period",
    "reporterCode",
    "flowCode",
    "partnerCode",
    "partner2Code",
    "classificationCode",
    "cmdCode",
    "customsCode",
    "mosCode",
    "motCode",
)

API_CSV = FileFormat(
    name="comtrade_api_csv",
    description="UN Comtrade API CSV",
    table=FLOWS,
    delimiter=",",
    columns=COLUMNS,
    key=_KEY,
    checks=_CHECKS,
)
BULK_TSV = FileFormat(
    name="comtrade_bulk_tsv",
    description="UN Comtrade bulk file (tab-delimited, usually gzipped)",
    table=FLOWS,
    delimiter="\t",
    columns=COLUMNS,
    key=_KEY,
    checks=_CHECKS,
)

COMTRADE = SourceKind("comtrade", (API_CSV, BULK_TSV), "UN Comtrade reported trade")
