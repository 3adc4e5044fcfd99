"""Bad input: every kind of bad file or row, with its message, and nothing already landed lost.

Each test lands a good file of the same kind first, then adds the bad one and
lands again: the good file's rows must still be there, the ledger must reconcile
(builders.assert_reconciled runs after every landing), and the bad file is either
recorded as `failed` with a message naming the file, the line and what was
expected, or landed with its bad rows quarantined (line number, raw line, reason).
"""

import csv
import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .builders import (
    BACI_HEADER,
    COMTRADE_HEADER,
    comtrade_csv_text,
    comtrade_row,
    hts_row,
    land,
    quarantine,
    results,
    rows,
    snapshot,
    wdi_indicator_text,
    wits_row,
    write_baci,
    write_bytes,
    write_comtrade_bulk,
    write_good_file,
    write_hts,
    write_text,
    write_wdi_indicator,
    write_wits_preferential,
)


def land_good_then_bad(conn, raw_dir: Path, kind: str, write_bad: Callable[[Path], Path]):
    """Land a good file, then the bad one; check the good file's rows are untouched.

    Returns (the bad file's FileResult, its path relative to raw_dir, its absolute path)."""
    good = write_good_file(kind, raw_dir)
    first = land(conn, kind, raw_dir)
    assert [f.status for f in first.files] == ["landed"], first.files
    before = snapshot(conn, kind)
    good_rel = good.relative_to(raw_dir).as_posix()
    held = {name: [r for r in table if good_rel in r] for name, table in before.items() if name[0] != "_"}

    bad = write_bad(raw_dir)
    report = land(conn, kind, raw_dir)
    by_path = results(report)
    assert by_path[good_rel].status == "unchanged"
    after = snapshot(conn, kind)
    for name, table_rows in held.items():
        assert [r for r in after[name] if good_rel in r] == table_rows, (
            f"rows of {good_rel} changed in {name}"
        )
    assert [r for r in after["_landing_ledger"] if r[1] == good_rel] == [
        r for r in before["_landing_ledger"] if r[1] == good_rel
    ]
    bad_rel = bad.relative_to(raw_dir).as_posix()
    return by_path[bad_rel], bad_rel, bad


def assert_failed(conn, result, bad_rel: str, bad: Path, line: int | None, *expected: str) -> None:
    """Recorded as failed, nothing of it loaded, the message naming the file (relative to
    the raw folder, never the machine's absolute path), the line and the expectation."""
    assert result.status == "failed", result
    where = f"{bad_rel}, line {line}: " if line is not None else f"{bad_rel}: "
    assert result.message.startswith(where), result.message
    for text in expected:
        assert text in result.message, result.message
    ledger = conn.execute(
        "select status, message, rows_read, rows_loaded, rows_quarantined from raw._landing_ledger "
        "where path = ? order by event_id desc limit 1",
        [bad_rel],
    ).fetchone()
    assert ledger == ("failed", result.message, 0, 0, 0)
    assert quarantine(conn, bad_rel) == []


def assert_quarantined(conn, result, bad_rel: str, expected: list[tuple[int, str, str]], loaded: int) -> None:
    """Landed; exactly the expected (line, raw line, reason) rows quarantined. A row the
    reader refused keeps its text; a row a check refused holds the record as read (its
    values as typed, quoted where needed): the same record, compared field by field."""
    assert result.status == "landed", result
    assert (result.rows_loaded, result.rows_quarantined) == (loaded, len(expected)), result
    held = quarantine(conn, bad_rel)
    assert [(f, line, reason) for f, line, _, reason in held] == [(bad_rel, e[0], e[2]) for e in expected]
    delimiter = "\t" if "\t" in expected[0][1] else ","
    for (_, line, raw, _), (_, want, _) in zip(held, expected, strict=True):
        assert raw == want or same_record(raw, want, delimiter), (line, raw, want)


def same_record(actual: str, expected: str, delimiter: str) -> bool:
    """The same fields: text equal after trimming, numbers and booleans equal as values."""

    def fields(line):
        return next(csv.reader(io.StringIO(line), delimiter=delimiter))

    def value(field):
        try:
            return float(field)
        except ValueError:
            return field.strip().lower()

    a, b = fields(actual), fields(expected)
    return len(a) == len(b) and all(value(x) == value(y) for x, y in zip(a, b, strict=True))


# --- Files that cannot be landed at all -----------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "content", "line", "expected"),
    [
        pytest.param(
            "baci",
            "BACI_HS17_Y2023_V202401.csv",
            "year,exporter,importer,product,value,quantity\n2023,156,392,010121,1,\n",
            1,
            [
                "unknown header 'year,exporter,importer,product,value,quantity'",
                "expected a baci file",
                "BACI yearly data file (t, i, j, k, ...)",
            ],
            id="baci-unknown-header",
        ),
        pytest.param(
            "comtrade",
            "TradeData.csv",
            "Reporter,Partner,Commodity Code,Trade Value (US$)\n156,392,010121,5\n",
            1,
            ["unknown header", "expected a comtrade file", "UN Comtrade API CSV (typeCode, freqCode"],
            id="comtrade-unknown-header",
        ),
        pytest.param(
            "wdi",
            "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_2.csv",
            '"Country","Year","Value"\n"Japan","2023","4.2e12"\n',
            1,
            ["unknown header", "expected a wdi file"],
            id="wdi-unknown-header",
        ),
        pytest.param(
            "baci",
            "BACI_HS17_Y2023_V202401.csv",
            "t,i,j,k,v\n2023,156,392,010121,1\n",
            1,
            ["the header lacks required column(s) q of format baci_flows_csv"],
            id="baci-missing-column",
        ),
        pytest.param(
            "comtrade",
            "TradeData.csv",
            ",".join(h for h in COMTRADE_HEADER if h != "primaryValue") + "\n",
            1,
            ["the header lacks required column(s) primaryValue of format comtrade_api_csv"],
            id="comtrade-missing-column",
        ),
        pytest.param(
            "wdi",
            "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_2.csv",
            wdi_indicator_text([2023], []).replace('"Indicator Code",', ""),
            5,  # after the 4 preamble lines
            ["the header lacks required column(s) Indicator Code of format wdi_indicator_csv"],
            id="wdi-missing-column",
        ),
        pytest.param(
            "wits",
            "tariffs.csv",
            "NomenCode,Reporter_ISO_N,Year,ProductCode,Sum_Of_Rates,Min_Rate,Max_Rate,TotalNoOfLines\n",
            1,
            ["the header lacks required column(s) SimpleAverage", "of format wits_mfn_ave_csv"],
            id="wits-missing-column",
        ),
        pytest.param(
            "baci",
            "BACI_HS17_Y2023_V202401.csv",
            "",
            None,
            ["the file is empty; expected a header line and data rows"],
            id="baci-empty-file",
        ),
        pytest.param(
            "hts",
            "hts.csv",
            "\n\n",
            1,
            ["unknown header ''", "expected a hts file"],
            id="hts-blank-lines-only",
        ),
    ],
)
def test_file_that_cannot_be_landed(conn, raw_dir, kind, name, content, line, expected):
    result, bad_rel, bad = land_good_then_bad(
        conn, raw_dir, kind, lambda raw: write_text(raw / kind / name, content)
    )
    assert_failed(conn, result, bad_rel, bad, line, *expected)


def test_truncated_gzip(conn, raw_dir):
    records = [comtrade_row(cmdCode=f"{i:06d}", primaryValue=i + 1) for i in range(2000)]

    def write_bad(raw):
        path = write_comtrade_bulk(raw / "comtrade" / "COMTRADE-FINAL-CA156202301H6[2024-02-15].gz", records)
        data = path.read_bytes()
        return write_bytes(path, data[: len(data) // 2])

    result, bad_rel, bad = land_good_then_bad(conn, raw_dir, "comtrade", write_bad)
    assert_failed(
        conn, result, bad_rel, bad, None, "truncated or corrupt gzip data; expected a complete .gz file"
    )


@pytest.mark.parametrize("cut", [10, -1, -8], ids=["header-cut", "last-byte-cut", "trailer-cut"])
def test_gzip_cut_anywhere_fails(conn, raw_dir, cut):
    def write_bad(raw):
        path = write_comtrade_bulk(raw / "comtrade" / "bulk.gz", [comtrade_row()])
        return write_bytes(path, path.read_bytes()[:cut])

    result, bad_rel, bad = land_good_then_bad(conn, raw_dir, "comtrade", write_bad)
    assert_failed(conn, result, bad_rel, bad, None, "truncated or corrupt gzip data")


def test_plain_text_named_gz_fails(conn, raw_dir):
    result, bad_rel, bad = land_good_then_bad(
        conn, raw_dir, "comtrade", lambda raw: write_text(raw / "comtrade" / "bulk.gz", comtrade_csv_text([]))
    )
    assert_failed(conn, result, bad_rel, bad, None, "truncated or corrupt gzip data")


@pytest.mark.parametrize(
    ("kind", "name", "data", "line"),
    [
        pytest.param(
            "baci",
            "BACI_HS17_Y2023_V202401.csv",
            "t,i,j,k,v,q\n2023,156,392,010121,1,\n2023,156,392,010122,1,caf\xe9\n".encode("latin-1"),
            3,
            id="baci-latin1-row",
        ),
        pytest.param(
            "baci",
            "product_codes_HS17_V202401.csv",
            'code,description\n010121,"Horses, live"\n870323,"Vehicles \u2013 passenger"\n'.encode("cp1252"),
            3,
            id="baci-cp1252-description",
        ),
        pytest.param(
            "wdi",
            "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_2.csv",
            wdi_indicator_text([2023], [["C\xf4te d'Ivoire", "CIV", "GDP", "NY.GDP.MKTP.CD", 7e10]]).encode(
                "latin-1"
            ),
            6,
            id="wdi-latin1-country-name",
        ),
        pytest.param(
            "comtrade",
            "bulk.gz",
            gzip.compress(("\t".join(COMTRADE_HEADER) + "\nC\tA\tcaf\xe9\n").encode("latin-1")),
            2,
            id="comtrade-gzip-latin1",
        ),
    ],
)
def test_bytes_that_are_not_utf8(conn, raw_dir, kind, name, data, line):
    result, bad_rel, bad = land_good_then_bad(
        conn, raw_dir, kind, lambda raw: write_bytes(raw / kind / name, data)
    )
    assert_failed(
        conn,
        result,
        bad_rel,
        bad,
        line,
        "bytes that are not valid UTF-8; expected UTF-8 text (re-save as UTF-8)",
    )


def test_mixed_line_endings_are_valid_csv_and_land(conn, raw_dir):
    """CRLF and LF in one file (as the real HTS export has) is valid CSV: it lands."""
    data = b"t,i,j,k,v,q\r\n2023,156,392,010121,1,\n2023,156,392,010122,1,\r\n"
    result, bad_rel, _ = land_good_then_bad(
        conn, raw_dir, "baci", lambda raw: write_bytes(raw / "baci" / "mixed.csv", data)
    )
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("landed", 2, 0)
    assert rows(conn, "baci_flows", "k, _line_number", "_source_file = ?", [bad_rel]) == [
        ("010121", 2),
        ("010122", 3),
    ]


def test_huge_first_line_is_an_unknown_header(conn, raw_dir):
    """A first line the csv module refuses to split (a field over its size limit) is not a header."""
    result, bad_rel, bad = land_good_then_bad(
        conn, raw_dir, "baci", lambda raw: write_text(raw / "baci" / "blob.csv", '"' + "a" * 200_000 + '"\n')
    )
    assert_failed(conn, result, bad_rel, bad, 1, "unknown header '\"aaaa", "...'; expected a baci file")


def test_a_file_that_fails_does_not_stop_the_others(conn, raw_dir):
    write_text(raw_dir / "baci" / "a_unknown.csv", "foo,bar\n1,2\n")
    write_baci(raw_dir / "baci" / "b_good.csv", [[2023, 156, 392, "010121", 1, 1]])
    write_bytes(raw_dir / "baci" / "c_truncated.csv.gz", gzip.compress(b"t,i,j,k,v,q\n" * 100)[:20])
    write_baci(raw_dir / "baci" / "d_good.csv", [[2023, 392, 156, "010121", 2, 2]])
    report = land(conn, "baci", raw_dir)
    assert {f.path: f.status for f in report.files} == {
        "baci/a_unknown.csv": "failed",
        "baci/b_good.csv": "landed",
        "baci/c_truncated.csv.gz": "failed",
        "baci/d_good.csv": "landed",
    }
    assert [f.path for f in report.failures] == ["baci/a_unknown.csv", "baci/c_truncated.csv.gz"]
    assert rows(conn, "baci_flows", "i, _source_file") == [(156, "baci/b_good.csv"), (392, "baci/d_good.csv")]
    failed = conn.execute(
        "select path, message from raw._landing_ledger where status = 'failed' order by path"
    ).fetchall()
    assert [p for p, _ in failed] == ["baci/a_unknown.csv", "baci/c_truncated.csv.gz"]
    assert "unknown header 'foo,bar'" in failed[0][1]
    assert "truncated or corrupt gzip data" in failed[1][1]


# --- Bad rows in otherwise good files: quarantined -----------------------------


HS6 = "expected a 6-character HS code as text, found"
UNKNOWN = "is not a known comtrade code (see raw.reference_country_codes)"
BACI_BAD_ROWS = [
    # (raw line, reason)
    ("2023,156,392,010122,1", "expected 6 fields, found 5"),
    ("2023,156,392,010122,1,2,3", "expected 6 fields, found 7"),
    ("2023,156,392,010123,abc,", "column v: expected DOUBLE, found 'abc'"),
    ("2023,156,392,010123,1,1.2.3", "column q: expected DOUBLE or NA, found '1.2.3'"),
    ("20x3,156,392,010123,1,", "column t: expected SMALLINT, found '20x3'"),
    ("2023,156,392,010124,-5,", "column v: BACI keeps only strictly positive flows, found -5.0"),
    ("2023,156,392,010125,0,", "column v: BACI keeps only strictly positive flows, found 0.0"),
    ("2023,156,392,010126,1,-1", "column q: a quantity cannot be negative, found -1.0"),
    ("2023,156,392,10121,2,", f"column k: {HS6} '10121' (a leading zero lost?)"),
    ("2023,156,392,0101211,2,", f"column k: {HS6} '0101211'"),
    ("2023,999,392,010127,2,", f"column i: country code 999 {UNKNOWN}"),
    ("2023,156,840,010128,2,", f"column j: country code 840 {UNKNOWN}"),
    ("2023,,392,010129,2,", "column i: a value is required"),
    ('2023,156,392,"0101"31,2,', "malformed quoting; expected RFC 4180 quoted fields"),
    ('2023,156,392,01"0132,2,', f"column k: {HS6} '01\"0132'"),
    ("2023,156,392,010121,7,", "duplicate key (t, i, j, k) = (2023, 156, 392, 010121); first seen on line 2"),
]  # fmt: skip


def test_baci_bad_rows_quarantined_with_line_and_reason(conn, raw_dir):
    lines = [
        "t,i,j,k,v,q",
        "2023,156,392,010121,1,",
        *(line for line, _ in BACI_BAD_ROWS),
        '2023,156,392,"870323",3,4',
    ]

    result, bad_rel, _ = land_good_then_bad(
        conn,
        raw_dir,
        "baci",
        lambda raw: write_text(raw / "baci" / "BACI_HS17_Y2023_V202401.csv", "\n".join(lines) + "\n"),
    )
    expected = [(n + 3, line, reason) for n, (line, reason) in enumerate(BACI_BAD_ROWS)]
    assert_quarantined(conn, result, bad_rel, expected, loaded=2)
    assert rows(conn, "baci_flows", "k, v, q, _line_number", "_source_file = ?", [bad_rel]) == [
        ("010121", 1.0, None, 2),
        ("870323", 3.0, 4.0, len(lines)),
    ]


def test_quarantined_reasons_combine_on_one_row(conn, raw_dir):
    """The reasons a row has on its own combine (the reader itself names only its first)."""
    result, bad_rel, _ = land_good_then_bad(
        conn,
        raw_dir,
        "baci",
        lambda raw: write_text(raw / "baci" / "two_problems.csv", "t,i,j,k,v,q\n2023,,392,010121,1,y\n"),
    )
    assert_quarantined(
        conn,
        result,
        bad_rel,
        [
            (
                2,
                "2023,,392,010121,1,y",
                "column i: a value is required; column q: expected DOUBLE or NA, found 'y'",
            )
        ],
        loaded=0,
    )


def test_multi_line_quoted_fields_keep_physical_line_numbers(conn, raw_dir):
    """A record with line breaks inside quotes spans several lines: the next record's
    line number counts them, for landed and refused rows alike, and an unterminated
    quote runs to the end of the file (RFC 4180), one refused record."""
    lines = [
        "code,description",
        '010121,"Horses,\r\nlive"',
        '010122,"Asses;\n""pure""\n\nbred"',
        "0101,Mules",
        "010123,Hinnies,extra",
        "",
        "010124,Cattle",
        '010125,"unterminated',
        "010126,Swine",
    ]
    result, bad_rel, _ = land_good_then_bad(
        conn,
        raw_dir,
        "baci",
        lambda raw: write_text(raw / "baci" / "product_codes_HS17_V202401.csv", "\n".join(lines) + "\n"),
    )
    assert (result.rows_read, result.message) == (6, "1 empty line(s) skipped")
    assert rows(
        conn, "baci_product_codes", "code, description, _line_number", "_source_file = ?", [bad_rel]
    ) == [
        ("010121", "Horses,\r\nlive", 2),
        ("010122", 'Asses;\n"pure"\n\nbred', 4),
        ("010124", "Cattle", 11),
    ]
    assert_quarantined(
        conn,
        result,
        bad_rel,
        [
            (8, "0101,Mules", f"column code: {HS6} '0101'"),
            (9, "010123,Hinnies,extra", "expected 2 fields, found 3"),
            (12, '010125,"unterminated\n010126,Swine', "malformed quoting; expected RFC 4180 quoted fields"),
        ],
        loaded=3,
    )


def comtrade_line(**fields) -> str:
    return comtrade_csv_text([comtrade_row(**fields)]).splitlines()[1]


def test_comtrade_bad_rows_quarantined(conn, raw_dir):
    cmd = "column cmdCode: expected TOTAL or an HS code of 2, 4 or 6 digits as text"
    key = (
        "duplicate key (typeCode, freqCode, period, reporterCode, flowCode, partnerCode, partner2Code, "
        "classificationCode, cmdCode, customsCode, mosCode, motCode) = (C, A, 2023, 156, X, 392, 0, H6, "
        "010121, C00, 0, 0); first seen on line 2"
    )
    cases = [
        (comtrade_line(cmdCode="10121"), f"{cmd}, found '10121' (a leading zero lost?)"),
        (comtrade_line(cmdCode="1", aggrLevel=2), f"{cmd}, found '1' (a leading zero lost?)"),
        (comtrade_line(cmdCode="01012A"), f"{cmd}, found '01012A'"),
        (comtrade_line(cmdCode="010122", primaryValue=-5),
         "column primaryValue: a trade value cannot be negative, found -5.0"),
        (comtrade_line(cmdCode="010122", fobvalue=-1),
         "column fobvalue: a trade value cannot be negative, found -1.0"),
        (comtrade_line(cmdCode="010123", netWgt="12kg"),
         "column netWgt: expected DOUBLE or NA, found '12kg'"),
        (comtrade_line(cmdCode="010124", isLeaf="maybe"), "column isLeaf: expected BOOLEAN, found 'maybe'"),
        (comtrade_line(cmdCode="010125", partnerCode=840), f"column partnerCode: country code 840 {UNKNOWN}"),
        (comtrade_line(cmdCode="010126", freqCode="Q"),
         "column freqCode: expected A (annual) or M (monthly), found Q"),
        (comtrade_line(cmdCode="010127", primaryValue=""), "column primaryValue: a value is required"),
        (comtrade_line(cmdCode="010128").rsplit(",", 1)[0], "expected 47 fields, found 46"),
        (comtrade_line(cmdCode="010129", cmdDesc='Horses, "pure" bred').replace('""pure""', '"pure"'),
         "malformed quoting; expected RFC 4180 quoted fields"),
        (comtrade_line(), key),
    ]  # fmt: skip
    text = comtrade_csv_text([comtrade_row()]) + "\n".join(line for line, _ in cases) + "\n"
    result, bad_rel, _ = land_good_then_bad(
        conn, raw_dir, "comtrade", lambda raw: write_text(raw / "comtrade" / "TradeData.csv", text, bom=True)
    )
    expected = [(n + 3, line, reason) for n, (line, reason) in enumerate(cases)]
    assert_quarantined(conn, result, bad_rel, expected, loaded=1)


def test_comtrade_bulk_bad_rows_quarantined(conn, raw_dir):
    def write_bad(raw):
        return write_comtrade_bulk(
            raw / "comtrade" / "bulk.gz",
            [
                comtrade_row(),
                comtrade_row(cmdCode="87032"),
                comtrade_row(cmdCode="870323", primaryValue="n/a"),
            ],
        )

    result, bad_rel, _ = land_good_then_bad(conn, raw_dir, "comtrade", write_bad)
    assert result.format == "comtrade_bulk_tsv"
    reasons = [(line, reason) for _, line, _, reason in quarantine(conn, bad_rel)]
    assert reasons == [
        (3, "column cmdCode: expected TOTAL or an HS code of 2, 4 or 6 digits as text, found '87032' "
            "(a leading zero lost?)"),
        (4, "column primaryValue: expected DOUBLE, found 'n/a'"),
    ]  # fmt: skip
    raw_line = quarantine(conn, bad_rel)[0][2]
    assert raw_line.split("\t")[COMTRADE_HEADER.index("cmdCode")] == "87032"


def test_wdi_bad_rows_quarantined(conn, raw_dir):
    def write_bad(raw):
        return write_wdi_indicator(
            raw / "wdi" / "API_SP.POP.TOTL_DS2_en_csv_v2_3.csv",
            [2022, 2023],
            [
                ["China", "CHN", "Population, total", "SP.POP.TOTL", 1412175000, 1410710000],
                ["Japan", "JPN", "Population, total", "SP.POP.TOTL", "n/a", 124516650],
                ["Nowhere", "", "Population, total", "SP.POP.TOTL", 1, 2],
                ["China", "CHN", "Population, total", "SP.POP.TOTL", 1, 2],
            ],
        )

    result, bad_rel, bad = land_good_then_bad(conn, raw_dir, "wdi", write_bad)
    lines = bad.read_text(encoding="utf-8-sig").splitlines()
    assert_quarantined(
        conn,
        result,
        bad_rel,
        [
            (7, lines[6], "column 2022: expected DOUBLE, found 'n/a'"),
            (8, lines[7], "column Country Code: a value is required"),
            (
                9,
                lines[8],
                "duplicate key (Country Code, Indicator Code) = (CHN, SP.POP.TOTL); first seen on line 6",
            ),
        ],
        loaded=1,
    )
    assert rows(conn, "wdi_indicator_values", "country_code, year, value", "_source_file = ?", [bad_rel]) == [
        ("CHN", 2022, 1412175000.0),
        ("CHN", 2023, 1410710000.0),
    ]


def test_wits_bad_rows_quarantined(conn, raw_dir):
    def write_bad(raw):
        return write_wits_preferential(
            raw / "wits" / "pref.csv",
            [
                wits_row(Partner=410),
                wits_row(Partner=410, ProductCode="10121"),
                wits_row(Partner=842),  # the Comtrade code for the US is not an ISO numeric code
                wits_row(Partner=156, SimpleAverage="NA"),
                wits_row(Partner=156, SimpleAverage=-1, Min_Rate=-1),
                wits_row(Partner=158, SimpleAverage=2, Min_Rate=-1),
            ],
        )

    result, bad_rel, bad = land_good_then_bad(conn, raw_dir, "wits", write_bad)
    lines = bad.read_text().splitlines()
    assert_quarantined(
        conn,
        result,
        bad_rel,
        [
            (3, lines[2], "column ProductCode: expected a 6-character HS code as text, found '10121' "
                          "(a leading zero lost?)"),
            (4, lines[3], "column Partner: country code 842 is not a known iso_numeric code "
                          "(see raw.reference_country_codes)"),
            (5, lines[4], "column SimpleAverage: expected DOUBLE, found 'NA'"),
            (6, lines[5], "column Min_Rate: a tariff rate cannot be negative, found -1.0; "
                          "column SimpleAverage: a tariff rate cannot be negative, found -1.0"),
            (7, lines[6], "column Min_Rate: a tariff rate cannot be negative, found -1.0"),
        ],
        loaded=1,
    )  # fmt: skip


def test_hts_bad_rows_quarantined(conn, raw_dir):
    def write_bad(raw):
        return write_hts(
            raw / "hts" / "hts.csv",
            [
                hts_row("0101.21.00", 2, "Horses", "Free"),
                hts_row("101.21.00", 2, "Lost a zero", "Free"),
                hts_row("0101.29.00", "two", "Indent is not a number", "Free"),
                hts_row("0101.21.00", 2, "Again", "Free"),
            ],
        )

    result, bad_rel, bad = land_good_then_bad(conn, raw_dir, "hts", write_bad)
    lines = bad.read_text(encoding="utf-8").splitlines()
    assert_quarantined(
        conn,
        result,
        bad_rel,
        [
            (3, lines[2], "column HTS Number: expected a dotted code like 8703.23.01 or 8703.23.01.10, "
                          "found '101.21.00'"),
            (4, lines[3], "column Indent: expected SMALLINT, found 'two'"),
            (5, lines[4], "duplicate key (HTS Number) = (0101.21.00); first seen on line 2"),
        ],
        loaded=1,
    )  # fmt: skip


def test_every_row_is_read_or_quarantined_in_a_mostly_bad_file(conn, raw_dir):
    """Nothing lost: a file of nothing but bad rows lands with every row quarantined."""
    body = ["garbage", "1,2,3", '"quoted"junk', "t,i,j,k,v,q", ",,,,,"]
    result, bad_rel, _ = land_good_then_bad(
        conn,
        raw_dir,
        "baci",
        lambda raw: write_text(raw / "baci" / "junk.csv", "\n".join([",".join(BACI_HEADER), *body]) + "\n"),
    )
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "landed",
        5,
        0,
        5,
    )
    assert [(line, raw) for _, line, raw, _ in quarantine(conn, bad_rel)] == list(enumerate(body, start=2))


def test_column_order_follows_the_header(conn, raw_dir):
    """Columns are found by name: a file with the same columns in another order lands right."""
    result, bad_rel, _ = land_good_then_bad(
        conn,
        raw_dir,
        "baci",
        lambda raw: write_text(raw / "baci" / "reordered.csv", "k,t,q,v,j,i\n010121,2023,,5,392,156\n"),
    )
    assert result.status == "landed"
    assert rows(conn, "baci_flows", "t, i, j, k, v, q", "_source_file = ?", [bad_rel]) == [
        (2023, 156, 392, "010121", 5.0, None)
    ]


def test_extra_columns_are_reported_not_silently_dropped(conn, raw_dir):
    result, _, _ = land_good_then_bad(
        conn,
        raw_dir,
        "baci",
        lambda raw: write_text(
            raw / "baci" / "extra.csv", "t,i,j,k,v,q,note\n2023,156,392,010121,5,,hello\n"
        ),
    )
    assert (result.status, result.rows_loaded) == ("landed", 1)
    assert result.message == "ignored columns: note"


def test_wits_header_with_both_formats_columns_is_preferential(conn, raw_dir):
    """Detection prefers the format that explains the whole header."""
    result, _, _ = land_good_then_bad(
        conn,
        raw_dir,
        "wits",
        lambda raw: write_wits_preferential(raw / "wits" / "pref.csv", [wits_row(Partner=156)]),
    )
    assert (result.status, result.format) == ("landed", "wits_preferential_ave_csv")


def test_baci_na_and_blank_quantities_land(conn, raw_dir):
    """BACI writes a missing quantity as NA (padded with spaces) in some releases and as an
    empty field in others: every such flow lands, with q NULL."""
    body = ["010121,1,", "010122,1,NA", "010123,1,        NA", "010124,1,   ", "010125,1, 2.5"]
    text = "t,i,j,k,v,q\n" + "".join(f"2023,156,392,{line}\n" for line in body)
    result, bad_rel, _ = land_good_then_bad(
        conn, raw_dir, "baci", lambda raw: write_text(raw / "baci" / "BACI_HS17_Y2023_V202401.csv", text)
    )
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("landed", 5, 0)
    assert rows(conn, "baci_flows", "k, q", "_source_file = ?", [bad_rel]) == [
        ("010121", None),
        ("010122", None),
        ("010123", None),
        ("010124", None),
        ("010125", 2.5),
    ]


BIG_BACI = (
    "t,i,j,k,v,q\n" + "".join(f"2023,156,392,{i:06d},{i * 7919 % 104729},\n" for i in range(1, 20000))
).encode()


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("write_bad", "line", "expected"),
    [
        pytest.param(
            lambda raw: write_bytes(raw / "baci" / "BACI_HS17_V202401.zip", b"PK\x03\x04 not really a zip"),
            None,
            "not a readable zip archive",
            id="corrupt-zip",
        ),
        pytest.param(
            lambda raw: write_bytes(
                raw / "baci" / "BACI_HS17_V202401.zip",
                write_zip(raw / "x.zip", {"BACI_HS17_Y2023_V202401.csv": BIG_BACI}).read_bytes()[:-500],
            ),
            None,
            "not a readable zip archive",
            id="truncated-zip",
        ),
        pytest.param(
            lambda raw: write_zip(raw / "baci" / "BACI_HS17_V202401.zip", {"Readme.pdf": b"%PDF-1.4"}),
            None,
            "no CSV or text file in the archive (it holds Readme.pdf); expected one",
            id="zip-without-data",
        ),
    ],
)
def test_archive_that_cannot_be_landed(conn, raw_dir, write_bad, line, expected):
    result, bad_rel, bad = land_good_then_bad(conn, raw_dir, "baci", write_bad)
    (raw_dir / "x.zip").unlink(missing_ok=True)
    assert_failed(conn, result, bad_rel, bad, line, expected)


def test_zip_member_with_an_unknown_header_is_named_in_the_message(conn, raw_dir):
    def write_bad(raw):
        return write_zip(
            raw / "baci" / "BACI_HS17_V202401.zip",
            {"BACI_HS17_Y2023_V202401.csv": b"year,exporter\n2023,156\n", "country_codes_V202401.csv": b""},
        )

    good = write_good_file("baci", raw_dir)
    land(conn, "baci", raw_dir)
    write_bad(raw_dir)
    by_path = results(land(conn, "baci", raw_dir))
    assert by_path[good.relative_to(raw_dir).as_posix()].status == "unchanged"
    member = "baci/BACI_HS17_V202401.zip/BACI_HS17_Y2023_V202401.csv"
    assert by_path[member].message.startswith(f"{member}, line 1: unknown header 'year,exporter'")
    empty = "baci/BACI_HS17_V202401.zip/country_codes_V202401.csv"
    assert by_path[empty].message == f"{empty}: the file is empty; expected a header line and data rows"
    assert "baci/BACI_HS17_V202401.zip" not in by_path  # not recorded as unpacked: it is tried again


def test_lines_the_reader_does_not_account_for_fail_the_file():
    """Rows read are numbered by walking the text's lines: if DuckDB's reader skipped a
    line it did not report (as it silently skips an empty line), the count does not
    close and the file fails instead of losing the line."""
    from dagster_project.landing.delimited import Text, _number
    from dagster_project.landing.errors import LandingError

    text = Text()
    text.feed(b"t,i,j,k,v,q\n2023,156,392,010121,1,\n2023,156,392,010122,1,\n2023,156,392,010123,1,\n")
    with pytest.raises(
        LandingError, match=r"^baci/a.csv: the CSV reader accounted for 3 of the file's 4 lines"
    ):
        _number(1, 2, [], [], text.done(), "baci/a.csv")  # two rows for three data lines
    assert _number(1, 3, [], [], text, "baci/a.csv") == ([(0, 2)], [], 0)
