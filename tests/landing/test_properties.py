"""Property-based tests: valid rows round-trip exactly; no input bytes crash the loader.

Each example gets its own temporary folder and one DuckDB connection to a copy of
the session's template warehouse (see conftest.py).
"""

import gzip
import math
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagster_project.landing import SOURCE_KINDS, reference

from .builders import (
    BACI_HEADER,
    COMTRADE_HEADER,
    HTS_HEADER,
    MEASURES_HEADER,
    WDI_METADATA_HEADER,
    WITS_MFN_HEADER,
    WITS_PREFERENTIAL_HEADER,
    comtrade_row,
    csv_text,
    land,
    new_warehouse,
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
    write_wdi_metadata,
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
positive = st.floats(min_value=1e-9, max_value=1e15, allow_nan=False, allow_infinity=False)
non_negative = st.one_of(st.just(0.0), positive)


def same_floats(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=0))


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
    "measures": [",".join(MEASURES_HEADER)],
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

            path = write_bytes(raw / kind / name, data)
            report = land(conn, kind, raw)  # returns normally, and the ledger reconciles

            result = {f.path: f for f in report.files}[f"{kind}/{name}"]
            assert result.status in ("landed", "failed", "duplicate"), result  # duplicate: not mutated
            if result.status == "failed":
                # A LandingError: it names the file (the line where known) and what was expected.
                assert result.message.startswith(f"{path}"), result.message
                assert len(result.message) > len(str(path)) + 10, result.message
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
