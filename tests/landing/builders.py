"""Builders for raw files in the exact shapes the sources publish them.

Every builder writes bytes to a path in a test's temporary folder and returns the
path. Rows are given as dicts (missing fields are blank) or lists; CSV quoting is
done with Python's csv module, so fields holding commas and quotes come out as
RFC 4180 quoted fields, as the sources write them.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

# UN Comtrade: the 47 fields of the API "get" CSV and the bulk files, in order.
COMTRADE_HEADER = [
    "typeCode",
    "freqCode",
    "refPeriodId",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "flowDesc",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "classificationSearchCode",
    "isOriginalClassification",
    "cmdCode",
    "cmdDesc",
    "aggrLevel",
    "isLeaf",
    "customsCode",
    "customsDesc",
    "mosCode",
    "motCode",
    "motDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "altQtyUnitCode",
    "altQtyUnitAbbr",
    "altQty",
    "isAltQtyEstimated",
    "netWgt",
    "isNetWgtEstimated",
    "grossWgt",
    "isGrossWgtEstimated",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "legacyEstimationFlag",
    "isReported",
    "isAggregate",
]
assert len(COMTRADE_HEADER) == 47

BACI_HEADER = ["t", "i", "j", "k", "v", "q"]
BACI_COUNTRY_HEADER = ["country_code", "country_name", "country_iso2", "country_iso3"]
BACI_COUNTRY_LEGACY_HEADER = [
    "country_code",
    "country_name_abbreviation",
    "country_name_full",
    "iso_2digit_alpha",
    "iso_3digit_alpha",
]
BACI_PRODUCT_HEADER = ["code", "description"]

WDI_ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
WDI_METADATA_HEADER = ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]

WITS_MFN_HEADER = [
    "NomenCode",
    "Reporter_ISO_N",
    "Year",
    "ProductCode",
    "Sum_Of_Rates",
    "Min_Rate",
    "Max_Rate",
    "SimpleAverage",
    "Nbr_NA_Lines",
    "Nbr_Free_Lines",
    "Nbr_AVE_Lines",
    "Nbr_Dutiable_Lines",
    "TotalNoOfValidLines",
    "TotalNoOfLines",
    "EstCode",
]
WITS_PREFERENTIAL_HEADER = [*WITS_MFN_HEADER[:4], "Partner", *WITS_MFN_HEADER[4:]]

HTS_HEADER = [
    "HTS Number",
    "Indent",
    "Description",
    "Unit of Quantity",
    "General Rate of Duty",
    "Special Rate of Duty",
    "Column 2 Rate of Duty",
    "Quota Quantity",
    "Additional Duties",
]


def csv_text(
    header: Sequence[str] | None,
    rows: Iterable[Mapping[str, object] | Sequence[object]],
    *,
    delimiter: str = ",",
    newline: str = "\n",
    quoting: int = csv.QUOTE_MINIMAL,
) -> str:
    """CSV text: the header (if any) then the rows; dict rows fill missing fields blank."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        if isinstance(row, Mapping):
            assert header is not None
            unknown = set(row) - set(header)
            assert not unknown, f"fields not in the header: {unknown}"
            row = [_text(row.get(name)) for name in header]
        else:
            row = [_text(v) for v in row]
        writer.writerow(row)
    return out.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_text(path: Path, text: str, *, bom: bool = False) -> Path:
    return write_bytes(path, (("\ufeff" if bom else "") + text).encode("utf-8"))


# --- UN Comtrade ----------------------------------------------------------------


def comtrade_row(**fields: object) -> dict[str, object]:
    """A valid annual record: China (156) exports HS 010121 to Japan (392) in 2023."""
    row: dict[str, object] = {
        "typeCode": "C",
        "freqCode": "A",
        "refPeriodId": 20230101,
        "refYear": 2023,
        "refMonth": 52,
        "period": "2023",
        "reporterCode": 156,
        "reporterISO": "CHN",
        "reporterDesc": "China",
        "flowCode": "X",
        "flowDesc": "Export",
        "partnerCode": 392,
        "partnerISO": "JPN",
        "partnerDesc": "Japan",
        "partner2Code": 0,
        "partner2ISO": "W00",
        "partner2Desc": "World",
        "classificationCode": "H6",
        "classificationSearchCode": "HS",
        "isOriginalClassification": True,
        "cmdCode": "010121",
        "cmdDesc": "Horses; live, pure-bred breeding animals",
        "aggrLevel": 6,
        "isLeaf": True,
        "customsCode": "C00",
        "customsDesc": "TOTAL CPC",
        "mosCode": "0",
        "motCode": 0,
        "motDesc": "TOTAL MOT",
        "qtyUnitCode": 5,
        "qtyUnitAbbr": "u",
        "qty": 12,
        "isQtyEstimated": False,
        "altQtyUnitCode": -1,
        "altQtyUnitAbbr": "N/A",
        "altQty": None,
        "isAltQtyEstimated": False,
        "netWgt": 6000.5,
        "isNetWgtEstimated": False,
        "grossWgt": None,
        "isGrossWgtEstimated": False,
        "cifvalue": None,
        "fobvalue": 123456.78,
        "primaryValue": 123456.78,
        "legacyEstimationFlag": 0,
        "isReported": True,
        "isAggregate": False,
    }
    row.update(fields)
    return row


def comtrade_csv_text(rows, *, newline: str = "\n") -> str:
    return csv_text(COMTRADE_HEADER, rows, newline=newline)


def write_comtrade_csv(path: Path, rows, *, bom: bool = False, newline: str = "\n") -> Path:
    """A Comtrade API "get" CSV (comma-separated, UTF-8, optionally with a BOM)."""
    return write_text(path, comtrade_csv_text(rows, newline=newline), bom=bom)


def write_comtrade_bulk(path: Path, rows) -> Path:
    """A Comtrade bulk file: gzip of a tab-delimited text with the same 47 fields
    (a field holding a tab or a double quote is quoted, as CSV writers do)."""
    text = csv_text(COMTRADE_HEADER, rows, delimiter="\t")
    return write_bytes(path, gzip.compress(text.encode("utf-8")))


# --- CEPII BACI -----------------------------------------------------------------


def write_baci(path: Path, rows) -> Path:
    """A BACI yearly file: t,i,j,k,v,q (v thousands of USD, q tons, blank when unknown)."""
    return write_text(path, csv_text(BACI_HEADER, rows))


def write_baci_countries(path: Path, rows, *, legacy: bool = False) -> Path:
    """BACI country codes; `legacy` uses the header of releases before 2023."""
    header = BACI_COUNTRY_LEGACY_HEADER if legacy else BACI_COUNTRY_HEADER
    return write_text(path, csv_text(header, rows))


def write_baci_products(path: Path, rows) -> Path:
    return write_text(path, csv_text(BACI_PRODUCT_HEADER, rows))


# --- World Bank WDI -------------------------------------------------------------


def wdi_indicator_text(
    years: Sequence[int],
    rows: Iterable[Sequence[object]],
    *,
    newline: str = "\n",
    last_updated: str = "2024-06-28",
) -> str:
    """The WDI API CSV: 4 preamble lines, every field quoted, a trailing comma per line.

    Each row is (country name, country code, indicator name, indicator code, *values)
    with one value per year (None = empty cell)."""

    def line(fields: Sequence[object]) -> str:
        return ",".join('"' + _text(f).replace('"', '""') + '"' for f in fields) + ","

    lines = [
        line(["Data Source", "World Development Indicators"]),
        "",
        line(["Last Updated Date", last_updated]),
        "",
        line([*WDI_ID_COLUMNS, *(str(y) for y in years)]),
    ]
    lines += [line(row) for row in rows]
    return newline.join(lines) + newline


def write_wdi_indicator(path: Path, years, rows, *, bom: bool = True, newline: str = "\n") -> Path:
    """World Bank files start with a UTF-8 BOM."""
    return write_text(path, wdi_indicator_text(years, rows, newline=newline), bom=bom)


def write_wdi_metadata(path: Path, rows: Iterable[Sequence[object]], *, bom: bool = True) -> Path:
    """Metadata_Country_...csv: quoted fields and a trailing comma on every line."""

    def line(fields: Sequence[object]) -> str:
        return ",".join('"' + _text(f).replace('"', '""') + '"' for f in fields) + ","

    text = "\n".join([line(WDI_METADATA_HEADER), *(line(r) for r in rows)]) + "\n"
    return write_text(path, text, bom=bom)


# --- WITS / TRAINS --------------------------------------------------------------


def wits_row(**fields: object) -> dict[str, object]:
    """A valid MFN row: Japan (392) on HS 870323 in 2022 (add Partner for preferential)."""
    row: dict[str, object] = {
        "NomenCode": "H6",
        "Reporter_ISO_N": 392,
        "Year": 2022,
        "ProductCode": "870323",
        "Sum_Of_Rates": 0,
        "Min_Rate": 0,
        "Max_Rate": 0,
        "SimpleAverage": 0,
        "Nbr_NA_Lines": 0,
        "Nbr_Free_Lines": 1,
        "Nbr_AVE_Lines": 0,
        "Nbr_Dutiable_Lines": 0,
        "TotalNoOfValidLines": 1,
        "TotalNoOfLines": 1,
        "EstCode": "",
    }
    row.update(fields)
    return row


def write_wits_mfn(path: Path, rows) -> Path:
    return write_text(path, csv_text(WITS_MFN_HEADER, rows))


def write_wits_preferential(path: Path, rows) -> Path:
    return write_text(path, csv_text(WITS_PREFERENTIAL_HEADER, rows))


# --- USITC HTS ------------------------------------------------------------------


def hts_row(number: str, indent: int, description: str, general: str = "", **fields: object) -> dict:
    row: dict[str, object] = {
        "HTS Number": number,
        "Indent": indent,
        "Description": description,
        "General Rate of Duty": general,
    }
    row.update({k.replace("_", " "): v for k, v in fields.items()})
    return row


def write_hts(path: Path, rows, *, bom: bool = False) -> Path:
    return write_text(path, csv_text(HTS_HEADER, rows), bom=bom)


# --- One good file per kind -----------------------------------------------------


def write_good_file(kind: str, raw_dir: Path) -> Path:
    """A small valid file of the kind (landed before bad input, to check nothing is lost)."""
    folder = raw_dir / kind
    if kind == "comtrade":
        return write_comtrade_csv(
            folder / "good.csv", [comtrade_row(), comtrade_row(cmdCode="870323", partnerCode=842)]
        )
    if kind == "baci":
        return write_baci(
            folder / "BACI_HS17_Y2022_V202401.csv",
            [[2022, 156, 392, "010121", 1.5, 2], [2022, 392, 842, "870323", 99, ""]],
        )
    if kind == "wdi":
        return write_wdi_indicator(
            folder / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv",
            [2022, 2023],
            [["Japan", "JPN", "GDP (current US$)", "NY.GDP.MKTP.CD", 4.2e12, 4.2e12]],
        )
    if kind == "wits":
        return write_wits_mfn(folder / "good.csv", [wits_row(), wits_row(ProductCode="010121")])
    if kind == "hts":
        return write_hts(folder / "good.csv", [hts_row("8703.23.01", 2, "Cars, passenger", "2.5%")])
    raise ValueError(kind)


# --- Landing and checking -------------------------------------------------------


def new_warehouse(folder: Path, template: Path):
    """A connection to a copy of the template warehouse in `folder`."""
    import duckdb

    path = folder / "warehouse.duckdb"
    shutil.copyfile(template, path)
    return duckdb.connect(str(path))


def kind_named(name: str):
    from dagster_project.landing import SOURCE_KINDS

    return next(k for k in SOURCE_KINDS if k.name == name)


def land(conn, kind: str, raw_dir: Path, prune_missing: bool = False):
    """land_source for the kind of that name, checking the ledger reconciles afterwards."""
    from dagster_project.landing.loader import land_source

    report = land_source(conn, kind_named(kind), raw_dir, prune_missing=prune_missing)
    for result in report.files:
        assert result.rows_read == result.rows_loaded + result.rows_quarantined, result
    assert_reconciled(conn, kind)
    return report


def results(report) -> dict[str, object]:
    """path -> FileResult."""
    return {f.path: f for f in report.files}


def rows(conn, table: str, columns: str = "*", where: str = "true", params=()) -> list[tuple]:
    """Rows of raw.<table>, sorted, as tuples."""
    return sorted(
        conn.execute(f"select {columns} from raw.{table} where {where}", list(params)).fetchall(),
        key=repr,
    )


def quarantine(conn, source_file: str | None = None) -> list[tuple]:
    """(source_file, line_number, raw_line, reason) rows of raw._quarantine, by file and line."""
    where, params = ("source_file = ?", [source_file]) if source_file else ("true", [])
    return conn.execute(
        f"select source_file, line_number, raw_line, reason from raw._quarantine where {where} "
        "order by source_file, line_number",
        params,
    ).fetchall()


def snapshot(conn, kind: str) -> dict[str, list[tuple]]:
    """Everything landing writes for a kind: its raw tables, the quarantine and the ledger."""
    tables = {t.name: rows(conn, t.name) for t in kind_named(kind).tables}
    tables["_quarantine"] = sorted(
        conn.execute("select * exclude (quarantined_at) from raw._quarantine").fetchall(), key=repr
    )
    tables["_landing_ledger"] = conn.execute(
        "select * exclude (landed_at) from raw._landing_ledger order by event_id"
    ).fetchall()
    return tables


def assert_reconciled(conn, kind: str) -> None:
    """The ledger and the tables agree, for every file the ledger says is held.

    For each path, the latest event that says what is held (landed, duplicate,
    missing, removed) decides: a landed file has rows_read = rows_loaded +
    rows_quarantined, exactly rows_loaded rows in its raw table (WDI indicator
    files: one row per year with a value, so at most one distinct line per loaded
    row) and exactly rows_quarantined rows in the quarantine; a missing file keeps
    what its last landing loaded; duplicate and removed files hold nothing. No raw
    table holds rows of a file the ledger does not account for.
    """
    source = kind_named(kind)
    events = conn.execute(
        """
        select event_id, path, status, format, raw_table, rows_read, rows_loaded, rows_quarantined
        from raw._landing_ledger
        where source = ? and status in ('landed', 'duplicate', 'missing', 'removed')
        order by event_id
        """,
        [kind],
    ).fetchall()
    held: dict[str, tuple | None] = {}  # path -> the landed event whose rows are held
    for _, path, status, *rest in events:
        if status == "landed":
            held[path] = (status, *rest)
        elif status in ("duplicate", "removed"):
            held[path] = None
        # missing: keeps what was held
    for path, event in held.items():
        counts = {
            t.name: conn.execute(
                f"select count(*), count(distinct _line_number) from raw.{t.name} where _source_file = ?",
                [path],
            ).fetchone()
            for t in source.tables
        }
        q_lines = [
            r[0]
            for r in conn.execute(
                "select line_number from raw._quarantine where source_file = ?", [path]
            ).fetchall()
        ]
        if event is None:
            assert all(c[0] == 0 for c in counts.values()), (path, counts)
            assert not q_lines, (path, q_lines)
            continue
        _, fmt, table, read, loaded, quarantined = event
        assert read == loaded + quarantined, (path, event)
        assert len(q_lines) == quarantined, (path, quarantined, q_lines)
        for name, (count, lines) in counts.items():
            if name != table:
                assert count == 0, (path, name, count)
            elif fmt == "wdi_indicator_csv":
                assert lines <= loaded, (path, lines, loaded)
            else:
                assert count == loaded, (path, table, count, loaded)
        loaded_lines = {
            r[0]
            for r in conn.execute(
                f"select _line_number from raw.{table} where _source_file = ?", [path]
            ).fetchall()
        }
        assert not loaded_lines & set(q_lines), (path, "lines both loaded and quarantined")
    holding = [path for path, event in held.items() if event is not None]
    for name in [t.name for t in source.tables] + ["_quarantine"]:
        column = "source_file" if name == "_quarantine" else "_source_file"
        strays = conn.execute(
            f"select distinct {column} from raw.{name} "
            f"where {column} like ? and {column} not in (select unnest(?::varchar[]))",
            [f"{kind}/%", holding],
        ).fetchall()
        assert not strays, (name, "rows of files the ledger does not hold", strays)
