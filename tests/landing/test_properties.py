"""Property-based tests: valid rows round-trip exactly; no input bytes crash the loader.

Each example gets its own temporary folder and one DuckDB connection to a copy of
the session's template warehouse (see conftest.py).
"""

import csv
import gzip
import math
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagster_project.landing import SOURCE_KINDS, reference
from dagster_project.landing.delimited import Text
from dagster_project.landing.formats import ident

from .builders import (
    BACI_HEADER,
    COMTRADE_HEADER,
    HTS_HEADER,
    WDI_METADATA_HEADER,
    WITS_MFN_HEADER,
    WITS_PREFERENTIAL_HEADER,
    comtrade_row,
    csv_text,
    hts_row,
    land,
    new_warehouse,
    quarantine,
    rows,
    snapshot,
    wdi_indicator_text,
    wits_row,
    write_baci,
    write_baci_countries,
    write_baci_products,
    write_bytes,
    write_comtrade_bulk,
    write_comtrade_csv,
    write_good_file,
    write_hts,
    write_text,
    write_wdi_indicator,
    write_wdi_metadata,
    write_wits_mfn,
    write_wits_preferential,
)

# Modest by default so the suite stays fast; raise it to search harder, e.g.
# TRADEBLOC_PROPERTY_EXAMPLES=2000 .venv/bin/python -m pytest tests/landing/test_properties.py
PROPERTY = settings(
    max_examples=int(os.environ.get("TRADEBLOC_PROPERTY_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

COMTRADE_CODES = sorted(r[1] for r in reference.reference_rows() if r[0] == "comtrade")
ISO_NUMERIC_CODES = sorted(r[1] for r in reference.reference_rows() if r[0] == "iso_numeric")


def strip_spaces(value: str) -> str:
    """What landing's trim() removes: space separators (Unicode Zs) at either end."""
    start, end = 0, len(value)
    while start < end and unicodedata.category(value[start]) == "Zs":
        start += 1
    while end > start and unicodedata.category(value[end - 1]) == "Zs":
        end -= 1
    return value[start:end]


# Text as the sources write it in a field: any printable characters, commas and
# double quotes included; no line breaks or other control characters (a record
# is one line) and no padding spaces at either end (values are trimmed).
text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff"),
        max_size=40,
    )
    .map(strip_spaces)
    .filter(bool)
)
with_punctuation = st.tuples(text, st.sampled_from([",", '"', '""', ", ", '", "', ";"]), text).map("".join)
description = st.one_of(text, with_punctuation)

hs6 = st.one_of(
    st.from_regex(r"0[0-9]{5}", fullmatch=True),  # a leading zero to keep
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.from_regex(r"[0-9]{4}[A-Z]{2}", fullmatch=True),  # BACI's non-numeric codes, e.g. 9999AA
)
hs6_digits = st.one_of(  # WITS product codes: numeric HS6
    st.from_regex(r"0[0-9]{5}", fullmatch=True),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
)
positive = st.floats(min_value=1e-9, max_value=1e15, allow_nan=False, allow_infinity=False)
non_negative = st.one_of(st.just(0.0), positive)


def same_floats(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=0))


def optional(strategy):
    return st.one_of(st.none(), strategy)


def same_value(got, expected) -> bool:
    """Floats equal exactly (same_floats); anything else equal and of the same type."""
    if isinstance(expected, float):
        return isinstance(got, float) and same_floats(got, expected)
    return got == expected and type(got) is type(expected)


def assert_same_rows(got: list[tuple], expected: list[tuple]) -> None:
    assert len(got) == len(expected), (got, expected)
    for g, e in zip(got, expected, strict=True):
        assert len(g) == len(e) and all(same_value(a, b) for a, b in zip(g, e, strict=True)), (g, e)


def land_and_read(
    folder: Path, template: Path, kind: str, fmt: str, lines: int, table: str, columns, order="_line_number"
) -> list[tuple]:
    """Land raw/<kind>/ (one file of format `fmt` with `lines` data lines): it lands whole,
    nothing quarantined; returns raw.<table>'s `columns` in file order."""
    conn = new_warehouse(folder, template)
    try:
        report = land(conn, kind, folder / "raw")
        assert [
            (f.status, f.format, f.rows_read, f.rows_loaded, f.rows_quarantined) for f in report.files
        ] == [("landed", fmt, lines, lines, 0)], (report.files, quarantine(conn))
        names = ", ".join(ident(c) for c in columns)
        return conn.execute(f"select {names} from raw.{table} order by {order}").fetchall()
    finally:
        conn.close()


# --- Round trips -----------------------------------------------------------------

baci_row = st.tuples(
    st.integers(1995, 2030),
    st.sampled_from(COMTRADE_CODES),
    st.sampled_from(COMTRADE_CODES),
    hs6,
    positive,
    st.one_of(st.none(), non_negative),
    st.sampled_from(["", " ", "  "]),  # padding around q, as BACI writes it
)


@PROPERTY
@given(records=st.lists(baci_row, max_size=30, unique_by=lambda r: r[:4]))
def test_baci_rows_round_trip(template_warehouse, records):
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw"
        write_baci(
            raw / "baci" / "BACI_HS17_Y2023_V202401.csv",
            [
                [t, i, j, k, repr(v), "" if q is None else f"{pad}{q!r}{pad}"]
                for t, i, j, k, v, q, pad in records
            ],
        )
        conn = new_warehouse(Path(folder), template_warehouse)
        try:
            report = land(conn, "baci", raw)
            assert [(f.status, f.rows_loaded, f.rows_quarantined) for f in report.files] == [
                ("landed", len(records), 0)
            ]
            got = conn.execute("select t, i, j, k, v, q from raw.baci_flows order by _line_number").fetchall()
        finally:
            conn.close()
    assert [r[:4] for r in got] == [r[:4] for r in records]
    assert all(same_floats(g[4], r[4]) and same_floats(g[5], r[5]) for g, r in zip(got, records, strict=True))


@PROPERTY
@given(
    products=st.dictionaries(hs6, st.one_of(st.none(), description), max_size=20),
)
def test_baci_product_descriptions_round_trip(template_warehouse, products):
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw"
        write_baci_products(raw / "baci" / "product_codes_HS17_V202401.csv", products.items())
        conn = new_warehouse(Path(folder), template_warehouse)
        try:
            land(conn, "baci", raw)
            got = dict(rows(conn, "baci_product_codes", "code, description"))
        finally:
            conn.close()
    assert got == products


comtrade_record = st.fixed_dictionaries(
    {
        "freqCode": st.sampled_from(["A", "M"]),
        "reporterCode": st.sampled_from(COMTRADE_CODES),
        "partnerCode": st.sampled_from(COMTRADE_CODES),
        "flowCode": st.sampled_from(["M", "X", "RX", "RM", "DX", "FM", "MIP", "XIP"]),
        "cmdCode": st.one_of(
            st.just("TOTAL"),
            st.from_regex(r"0[0-9]", fullmatch=True),
            st.from_regex(r"[0-9]{4}", fullmatch=True),
            st.from_regex(r"0[0-9]{5}", fullmatch=True),
            st.from_regex(r"[0-9]{6}", fullmatch=True),
        ),
        "cmdDesc": st.one_of(st.none(), description),
        "reporterDesc": st.one_of(st.none(), description),
        "mosCode": st.sampled_from(["0", "1", "3"]),
        "isLeaf": st.booleans(),
        "isReported": st.booleans(),
        "primaryValue": non_negative,
        "fobvalue": st.one_of(st.none(), non_negative),
        "netWgt": st.one_of(st.none(), non_negative),
    }
)
COMTRADE_KEY = ("freqCode", "reporterCode", "partnerCode", "flowCode", "cmdCode", "mosCode")
COMTRADE_EXACT = (
    *("freqCode", "flowCode", "cmdCode", "cmdDesc", "reporterDesc", "mosCode"),
    *("reporterCode", "partnerCode", "isLeaf", "isReported"),
)
COMTRADE_NUMBERS = ("primaryValue", "fobvalue", "netWgt")


@PROPERTY
@given(
    records=st.lists(comtrade_record, max_size=20, unique_by=lambda r: tuple(r[k] for k in COMTRADE_KEY)),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
    bulk=st.booleans(),
)
def test_comtrade_rows_round_trip(template_warehouse, records, bom, newline, bulk):
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw"
        full = [
            comtrade_row(**{**r, **{k: repr(r[k]) for k in COMTRADE_NUMBERS if r[k] is not None}})
            for r in records
        ]
        if bulk:
            write_comtrade_bulk(raw / "comtrade" / "COMTRADE-FINAL-CA156202301H6[2024-02-15].gz", full)
        else:
            write_comtrade_csv(raw / "comtrade" / "TradeData.csv", full, bom=bom, newline=newline)
        conn = new_warehouse(Path(folder), template_warehouse)
        try:
            report = land(conn, "comtrade", raw)
            assert [(f.status, f.rows_loaded, f.rows_quarantined) for f in report.files] == [
                ("landed", len(records), 0)
            ]
            columns = ", ".join(f'"{c}"' for c in (*COMTRADE_EXACT, *COMTRADE_NUMBERS))
            got = conn.execute(f"select {columns} from raw.comtrade_flows order by _line_number").fetchall()
        finally:
            conn.close()
    assert [g[: len(COMTRADE_EXACT)] for g in got] == [tuple(r[k] for k in COMTRADE_EXACT) for r in records]
    for g, r in zip(got, records, strict=True):
        numbers = g[len(COMTRADE_EXACT) :]
        assert all(same_floats(n, r[k]) for n, k in zip(numbers, COMTRADE_NUMBERS, strict=True)), (g, r)


iso2 = st.from_regex(r"[A-Z]{2}", fullmatch=True)
iso3 = st.from_regex(r"[A-Z][A-Z0-9]{2}", fullmatch=True)  # ISO3, or BACI's S19, WDI's aggregates
baci_country = st.tuples(
    st.sampled_from(COMTRADE_CODES),
    optional(description),  # name (abbreviation in the legacy header)
    optional(description),  # full name: legacy header only, not landed
    optional(iso2),
    optional(iso3),
)


@PROPERTY
@given(records=st.lists(baci_country, max_size=20, unique_by=lambda r: r[0]), legacy=st.booleans())
def test_baci_country_codes_round_trip(template_warehouse, records, legacy):
    with tempfile.TemporaryDirectory() as folder:
        write_baci_countries(
            Path(folder) / "raw" / "baci" / "country_codes_V202401.csv",
            [r if legacy else [r[0], r[1], r[3], r[4]] for r in records],
            legacy=legacy,
        )
        got = land_and_read(
            Path(folder),
            template_warehouse,
            "baci",
            "baci_country_codes_legacy_csv" if legacy else "baci_country_codes_csv",
            len(records),
            "baci_country_codes",
            ["country_code", "country_name", "country_iso2", "country_iso3"],
        )
    assert_same_rows(got, [(code, name, i2, i3) for code, name, _, i2, i3 in records])


# WDI indicator files: one or two indicators, keys (country, indicator) unique, any
# finite value or an empty cell (no data) per year.
wdi_indicator = st.tuples(
    optional(description), st.from_regex(r"[A-Z]{2}(\.[A-Z0-9]{2,5}){1,4}", fullmatch=True)
)


@st.composite
def wdi_indicator_file(draw):
    years = sorted(draw(st.lists(st.integers(1960, 2030), unique=True, max_size=8)))
    indicators = draw(st.lists(wdi_indicator, min_size=1, max_size=2, unique_by=lambda i: i[1]))
    keys = draw(st.lists(st.tuples(iso3, st.sampled_from(indicators)), max_size=12, unique=True))
    value = optional(st.floats(allow_nan=False, allow_infinity=False))
    records = [
        [
            draw(optional(description)),
            country,
            *indicator,
            *draw(st.lists(value, min_size=len(years), max_size=len(years))),
        ]
        for country, indicator in keys
    ]
    return years, records


@PROPERTY
@given(file=wdi_indicator_file(), bom=st.booleans(), newline=st.sampled_from(["\n", "\r\n"]))
def test_wdi_indicator_values_round_trip(template_warehouse, file, bom, newline):
    years, records = file
    with tempfile.TemporaryDirectory() as folder:
        write_wdi_indicator(
            Path(folder) / "raw" / "wdi" / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv",
            years,
            records,
            bom=bom,
            newline=newline,
        )
        got = land_and_read(
            Path(folder),
            template_warehouse,
            "wdi",
            "wdi_indicator_csv",
            len(records),  # lines; each lands as one row per year with a value
            "wdi_indicator_values",
            ["country_name", "country_code", "indicator_name", "indicator_code", "year", "value"],
            order="_line_number, year",
        )
    assert_same_rows(
        got,
        [
            (*r[:4], year, value)
            for r in records
            for year, value in zip(years, r[4:], strict=True)
            if value is not None
        ],
    )


wdi_metadata_row = st.tuples(
    iso3,
    optional(description),  # Region: empty for aggregates
    optional(st.one_of(st.sampled_from(["Low income", "Lower middle income", "High income"]), description)),
    optional(description),
    optional(description),
)


@PROPERTY
@given(records=st.lists(wdi_metadata_row, max_size=20, unique_by=lambda r: r[0]), bom=st.booleans())
def test_wdi_country_metadata_round_trip(template_warehouse, records, bom):
    with tempfile.TemporaryDirectory() as folder:
        write_wdi_metadata(
            Path(folder) / "raw" / "wdi" / "Metadata_Country_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv",
            records,
            bom=bom,
        )
        got = land_and_read(
            Path(folder),
            template_warehouse,
            "wdi",
            "wdi_country_metadata_csv",
            len(records),
            "wdi_country_metadata",
            WDI_METADATA_HEADER,
        )
    assert_same_rows(got, records)


count = optional(st.integers(0, 100_000))
wits_record = st.fixed_dictionaries(
    {
        "NomenCode": st.sampled_from(["H0", "H1", "H2", "H3", "H4", "H5", "H6"]),
        "Reporter_ISO_N": st.sampled_from(ISO_NUMERIC_CODES),
        "Year": st.integers(1988, 2030),
        "ProductCode": hs6_digits,
        "Partner": st.sampled_from(ISO_NUMERIC_CODES),
        "Sum_Of_Rates": optional(non_negative),
        "Min_Rate": optional(non_negative),
        "Max_Rate": optional(non_negative),
        "SimpleAverage": non_negative,
        "Nbr_NA_Lines": count,
        "Nbr_Free_Lines": count,
        "Nbr_AVE_Lines": count,
        "Nbr_Dutiable_Lines": count,
        "TotalNoOfValidLines": count,
        "TotalNoOfLines": count,
        "EstCode": optional(st.from_regex(r"[A-Z0-9]{1,3}", fullmatch=True)),
    }
)


@st.composite
def wits_file(draw):
    preferential = draw(st.booleans())
    header = WITS_PREFERENTIAL_HEADER if preferential else WITS_MFN_HEADER
    key = [*header[:4], *(["Partner"] if preferential else [])]
    records = draw(st.lists(wits_record, max_size=20, unique_by=lambda r: tuple(r[k] for k in key)))
    return preferential, [{k: r[k] for k in header} for r in records]


@PROPERTY
@given(file=wits_file())
def test_wits_tariffs_round_trip(template_warehouse, file):
    preferential, records = file
    header = WITS_PREFERENTIAL_HEADER if preferential else WITS_MFN_HEADER
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "raw" / "wits" / "tariffs.csv"
        written = [
            wits_row(**{k: repr(v) if isinstance(v, float) else v for k, v in r.items()}) for r in records
        ]
        if preferential:
            write_wits_preferential(path, written)
        else:
            write_wits_mfn(path, written)
        got = land_and_read(
            Path(folder),
            template_warehouse,
            "wits",
            "wits_preferential_ave_csv" if preferential else "wits_mfn_ave_csv",
            len(records),
            "wits_preferential_tariffs" if preferential else "wits_mfn_tariffs",
            header,
        )
    assert_same_rows(got, [tuple(r[k] for k in header) for r in records])


# USITC HTS: rate texts as the schedule writes them, with what landing parses from
# them (ad valorem percent, whether a per-unit part exists); None = no rate.
percent = st.from_regex(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,3})?", fullmatch=True)
cents = st.from_regex(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,2})?", fullmatch=True)
unit = st.sampled_from(["kg", "liter", "doz.", "pf. liter", "each", "m²"])
rate_text = st.one_of(
    st.just(("Free", 0.0, False)),
    percent.map(lambda p: (f"{p}%", float(p), False)),
    st.tuples(cents, unit).map(lambda c: (f"{c[0]}¢/{c[1]}", 0.0, True)),
    st.tuples(cents, unit, percent).map(lambda c: (f"{c[0]}¢/{c[1]} + {c[2]}%", float(c[2]), True)),
    st.tuples(cents, unit).map(lambda c: (f"${c[0]}/{c[1]}", 0.0, True)),
    st.just(("The rate applicable to the natural juice in heading 2009", None, False)),
)
programs = st.lists(
    st.sampled_from(["A", "A+", "AU", "BH", "CA", "CL", "D", "IL", "KR", "MX", "P", "S"]), min_size=1
)
special_text = st.one_of(
    st.tuples(st.sampled_from(["Free", "2.5%", "1.1¢/kg"]), programs).map(
        lambda t: f"{t[0]} ({','.join(t[1])})"
    ),
    description,
)
hts_number = st.from_regex(r"[0-9]{4}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{2})?)?)?", fullmatch=True)
hts_line = st.fixed_dictionaries(
    {
        "Indent": st.integers(0, 12),
        "Description": optional(description),
        "Unit of Quantity": optional(
            st.one_of(st.sampled_from(['["No."]', '["kg"]', '["doz.", "kg"]', "No.", "kg"]), description)
        ),
        "General Rate of Duty": optional(rate_text),
        "Special Rate of Duty": optional(special_text),
        "Column 2 Rate of Duty": optional(rate_text),
        "Quota Quantity": optional(description),
        "Additional Duties": optional(description),
    }
)


@st.composite
def hts_lines(draw):
    """Lines with unique HTS numbers, and text lines (no number) among them."""
    numbers = draw(st.lists(hts_number, max_size=20, unique=True))
    numbers += [None] * draw(st.integers(0, 3))
    return [{"HTS Number": n, **draw(hts_line)} for n in draw(st.permutations(numbers))]


def text_of(rate):
    return rate and rate[0]


def parsed(rate):
    return rate[1:] if rate else (None, None)


@PROPERTY
@given(lines=hts_lines(), bom=st.booleans(), quote_all=st.booleans())
def test_hts_lines_round_trip(template_warehouse, lines, bom, quote_all):
    written = [
        hts_row(
            r["HTS Number"],
            r["Indent"],
            r["Description"],
            text_of(r["General Rate of Duty"]),
            Unit_of_Quantity=r["Unit of Quantity"],
            Special_Rate_of_Duty=r["Special Rate of Duty"],
            Column_2_Rate_of_Duty=text_of(r["Column 2 Rate of Duty"]),
            Quota_Quantity=r["Quota Quantity"],
            Additional_Duties=r["Additional Duties"],
        )
        for r in lines
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "raw" / "hts" / "hts_2025_revision_19_csv.csv"
        if quote_all:  # the USITC export quotes every field
            write_text(path, csv_text(HTS_HEADER, written, quoting=csv.QUOTE_ALL), bom=bom)
        else:
            write_hts(path, written, bom=bom)
        got = land_and_read(
            Path(folder),
            template_warehouse,
            "hts",
            "usitc_hts_csv",
            len(lines),
            "hts_tariff_lines",
            [
                *HTS_HEADER,
                *("general_ad_valorem_pct", "general_has_specific"),
                *("column2_ad_valorem_pct", "column2_has_specific"),
            ],
        )
    # Every column text as written but Indent (SMALLINT), then the parsed rates.
    expected = [
        (*(w[h] for h in HTS_HEADER), *parsed(r["General Rate of Duty"]), *parsed(r["Column 2 Rate of Duty"]))
        for r, w in zip(lines, written, strict=True)
    ]
    assert_same_rows(got, expected)


# --- Arbitrary bytes never crash the loader ---------------------------------------

HEADERS = {
    "comtrade": [",".join(COMTRADE_HEADER), "\t".join(COMTRADE_HEADER)],
    "baci": [
        ",".join(BACI_HEADER),
        "code,description",
        "country_code,country_name,country_iso2,country_iso3",
    ],
    "wdi": [wdi_indicator_text([2022, 2023], []).rstrip("\n"), '"' + '","'.join(WDI_METADATA_HEADER) + '",'],
    "wits": [",".join(WITS_MFN_HEADER), ",".join(WITS_PREFERENTIAL_HEADER)],
    "hts": [",".join(f'"{h}"' for h in HTS_HEADER)],
}


def _good_bytes() -> dict[str, list[bytes]]:
    """Valid files of every format, to mutate."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        good = {k.name: [write_good_file(k.name, folder).read_bytes()] for k in SOURCE_KINDS}
        good["comtrade"].append(csv_text(COMTRADE_HEADER, [comtrade_row()], delimiter="\t").encode())
        good["baci"] += [
            write_baci_products(folder / "p.csv", [["010121", 'Horses, "live"']]).read_bytes(),
            write_baci_countries(folder / "c.csv", [[392, "Japan", "JP", "JPN"]]).read_bytes(),
            write_baci_countries(
                folder / "l.csv", [[392, "Japan", "Japan", "JP", "JPN"]], legacy=True
            ).read_bytes(),
        ]
        good["wdi"].append(
            write_wdi_metadata(
                folder / "m.csv", [["JPN", "East Asia", "High income", "", "Japan"]]
            ).read_bytes()
        )
        good["wits"].append(write_wits_preferential(folder / "w.csv", [wits_row(Partner=156)]).read_bytes())
        return good


GOOD_BYTES = _good_bytes()


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` with a few bytes replaced, inserted or deleted, or cut short."""
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
        byte = draw(st.sampled_from([0x00, 0x0A, 0x0D, 0x1F, 0x22, 0x2C, 0x09, 0x80, 0xC3, 0xFF, 0x30, 0x2D]))
        if action == "replace" and position < len(data):
            data[position] = byte
        elif action == "insert":
            data.insert(position, byte)
        elif action == "delete" and position < len(data):
            del data[position]
        elif action == "cut":
            del data[position:]
    return bytes(data)


@st.composite
def file_contents(draw, kind: str) -> bytes:
    header = draw(st.sampled_from(HEADERS[kind])).encode()
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    choice = draw(st.sampled_from(["bytes", "header+bytes", "header+lines", "good-mutated"]))
    if choice == "bytes":
        return draw(st.binary(max_size=300))
    if choice == "header+bytes":
        return header + newline + draw(st.binary(max_size=300))
    if choice == "header+lines":
        lines = draw(st.lists(st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")), max_size=8))
        return newline.join([header, *lines]) + newline
    return draw(mutated(draw(st.sampled_from(GOOD_BYTES[kind]))))


@st.composite
def bad_file(draw):
    kind = draw(st.sampled_from([k.name for k in SOURCE_KINDS]))
    data = draw(file_contents(kind))
    name = draw(st.sampled_from(["data.csv", "data.txt", "data.gz", "data.csv.gz"]))
    if name.endswith(".gz") and draw(st.booleans()):
        data = gzip.compress(data)
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
    return kind, name, data


@PROPERTY
@given(case=bad_file())
def test_arbitrary_bytes_never_crash_the_loader(template_warehouse, case):
    kind, name, data = case
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw"
        good = write_good_file(kind, raw)
        conn = new_warehouse(Path(folder), template_warehouse)
        try:
            land(conn, kind, raw)
            good_rel = good.relative_to(raw).as_posix()
            before = {
                n: [r for r in t if good_rel in r] for n, t in snapshot(conn, kind).items() if n[0] != "_"
            }

            write_bytes(raw / kind / name, data)
            report = land(conn, kind, raw)  # returns normally, and the ledger reconciles

            result = {f.path: f for f in report.files}[f"{kind}/{name}"]
            assert result.status in ("landed", "failed", "duplicate"), result  # duplicate: not mutated
            if result.status == "failed":
                # A LandingError: it names the file relative to the raw folder (the line where
                # known) and what was expected.
                assert result.message.startswith(result.path), result.message
                assert len(result.message) > len(result.path) + 10, result.message
            if result.status == "landed":
                unexplained = conn.execute(
                    "select count(*) from raw._quarantine "
                    "where source_file = ? and (reason = '' or line_number < 1 or raw_line is null)",
                    [result.path],
                ).fetchone()[0]
                assert unexplained == 0
            after = {
                n: [r for r in t if good_rel in r] for n, t in snapshot(conn, kind).items() if n[0] != "_"
            }
            assert after == before  # nothing already landed is lost
        finally:
            conn.close()


@PROPERTY
@given(st.binary(max_size=60).map(lambda b: bytes(b"ab\n\r,"[x % 5] for x in b)), st.integers(1, 5))
def test_the_hash_pass_finds_the_same_lines_whatever_the_chunks(data, size):
    """Files are read in 4 MB chunks: line ends and empty lines that straddle two chunks
    count as in one piece, and the hash is the file's."""
    whole, chunked = Text(), Text()
    whole.feed(data)
    for start in range(0, len(data), size):
        chunked.feed(data[start : start + size])
    for text in (whole, chunked):
        text.done()
    assert (chunked.lines, chunked.empty_lines) == (whole.lines, whole.empty_lines)
    assert chunked.sha256 == whole.sha256
