"""The fast path (DuckDB's typed CSV reader, delimited.py) lands exactly what the line path lands.

Every test lands the same raw folder twice, into two copies of the template
warehouse: as landing does (the fast path where it applies) and with the fast path
switched off, and compares everything landing writes: the raw tables, the
quarantine (line numbers, raw lines, reasons) and the ledger.
"""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import duckdb
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from dagster_project.landing import delimited, loader
from dagster_project.landing.formats import Column, FileFormat, RawTable, SourceKind
from dagster_project.landing.loader import land_source

from .builders import (
    BACI_HEADER,
    assert_reconciled,
    kind_named,
    quarantine,
    write_bytes,
    write_text,
)
from .test_properties import COMTRADE_CODES, PROPERTY, bad_file

# The warehouse's connections let DuckDB reorder rows (settings.py); the tests' by default do not.
UNORDERED = {"preserve_insertion_order": False, "threads": 2}


def exact(row: tuple) -> tuple:
    """The row with each float as its repr, which tells -0.0 from 0.0 and equals itself for NaN."""
    return tuple(repr(v) if isinstance(v, float) else v for v in row)


def snapshot(conn, kind: SourceKind) -> dict[str, list[tuple]]:
    """What landing wrote: the kind's raw tables, the quarantine and the ledger (no timestamps)."""
    got = {
        t.name: sorted((exact(r) for r in conn.execute(f"select * from raw.{t.name}").fetchall()), key=repr)
        for t in kind.tables
    }
    got["_quarantine"] = conn.execute(
        "select * exclude (quarantined_at) from raw._quarantine order by source_file, line_number"
    ).fetchall()
    got["_landing_ledger"] = conn.execute(
        "select * exclude (landed_at) from raw._landing_ledger order by event_id"
    ).fetchall()
    return got


@contextmanager
def fast_path(enabled: bool = True):
    """Land with the fast path on, or off; yields, per file, whether the fast path read it."""
    real = delimited._read_fast
    fast_reads: list[bool] = []

    def read_fast(*args):
        detected = real(*args) if enabled else None
        fast_reads.append(detected is not None)
        return detected

    with mock.patch.object(delimited, "_read_fast", read_fast):
        yield fast_reads


def land_both_ways(folder: Path, template: Path, kind: SourceKind) -> tuple[dict, dict, int]:
    """Land folder/raw with and without the fast path, each into its own warehouse.

    Returns the two snapshots and how many files the fast path read."""
    snapshots, fast_reads = [], []
    for enabled in (True, False):
        warehouse = folder / f"{enabled}.duckdb"
        shutil.copyfile(template, warehouse)
        conn = duckdb.connect(str(warehouse), config=UNORDERED)
        try:
            with fast_path(enabled) as reads:
                land_source(conn, kind, folder / "raw")
            snapshots.append(snapshot(conn, kind))
            fast_reads += reads
        finally:
            conn.close()
    return snapshots[0], snapshots[1], sum(fast_reads)


def assert_same_both_ways(folder: Path, template: Path, kind: SourceKind) -> int:
    fast, line, fast_reads = land_both_ways(folder, template, kind)
    assert fast == line
    return fast_reads


# --- Any bytes: both ways land the same ------------------------------------------


@PROPERTY
@given(case=bad_file())
def test_any_file_lands_the_same_both_ways(template_warehouse, case):
    kind, name, data = case
    with tempfile.TemporaryDirectory() as folder:
        write_bytes(Path(folder) / "raw" / kind / name, data)
        fast_reads = assert_same_both_ways(Path(folder), template_warehouse, kind_named(kind))
    event(f"fast path read the file: {bool(fast_reads)}")


# BACI lines as they come, and as they go wrong: rows the format's checks refuse
# (the fast path reads them), and lines only the line path reads: odd values in a
# typed field, a field too many or too few, blank lines, a quote, a carriage return.
ODD_VALUES = [
    "", " ", "  ", "abc", "1.2.3", "1e3", "+5", "-0", "-0.0", "0", "-5", "nan", "inf", "-inf",
    "0x10", "1_000", " 12 ", "\t7", "12\t", "１２", "1.", ".5", "32768", "2147483648",
    "9999AA", "10121", "0101211", "999", "840", "NULL", "\u00a0", "é", "\x0b", '"1"', "1\r",
]  # fmt: skip
REFUSED_BY_CHECKS = {  # field position -> values a check refuses
    0: [""],
    1: ["999", ""],
    2: ["840"],
    3: ["10121", "0101211", "01012a", "", "  ", "NULL", "\u00a0", "é"],
    4: ["0", "-5", ""],
    5: ["-1"],
}


@st.composite
def baci_line(draw, earlier: list[str], line_path: bool) -> str:
    fields = [
        str(draw(st.integers(2020, 2023))),
        str(draw(st.sampled_from(COMTRADE_CODES))),
        str(draw(st.sampled_from(COMTRADE_CODES))),
        draw(st.from_regex(r"[0-9]{6}", fullmatch=True)),
        repr(draw(st.floats(0.001, 1e9))),
        draw(st.sampled_from(["", "1.5", "  2  ", "0", "1e-3", "-0.0"])),
    ]
    problems = ["none"] * 6 + ["refused", "again"] + (["odd", "count", "blank"] if line_path else [])
    problem = draw(st.sampled_from(problems))
    if problem == "refused":
        position = draw(st.sampled_from(sorted(REFUSED_BY_CHECKS)))
        fields[position] = draw(st.sampled_from(REFUSED_BY_CHECKS[position]))
    elif problem == "again" and earlier:
        return draw(st.sampled_from(earlier))  # the same key again
    elif problem == "odd":
        fields[draw(st.integers(0, 5))] = draw(st.sampled_from(ODD_VALUES))
    elif problem == "count":
        fields = fields[:-1] if draw(st.booleans()) else [*fields, "1"]
    elif problem == "blank":
        return draw(st.sampled_from(["", " ", "\t"]))
    return ",".join(fields)


@st.composite
def baci_file(draw) -> str:
    line_path = draw(st.booleans())  # lines only the line path reads, or none
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        lines.append(draw(baci_line(lines, line_path)))
    end = draw(st.sampled_from(["\n", ""]))
    return "\n".join([",".join(BACI_HEADER), *lines]) + end


@PROPERTY
@given(text=baci_file())
def test_baci_file_lands_the_same_both_ways(template_warehouse, text):
    with tempfile.TemporaryDirectory() as folder:
        write_text(Path(folder) / "raw" / "baci" / "BACI_HS17_Y2023_V202401.csv", text)
        fast_reads = assert_same_both_ways(Path(folder), template_warehouse, kind_named("baci"))
    event(f"fast path read the file: {bool(fast_reads)}")


# Every column type a format declares: DuckDB's CSV reader casts the field itself on
# the fast path; what it reads must be what try_cast(trim(field)) reads, and what it
# cannot read sends the file to the line path.
SPELLINGS = {  # how values of each type are written (and how the reader takes them, mostly)
    "SMALLINT": ["0", "7", "-3", "+5", "007", " 5", "5 ", "\t5", "1.5", "2.5", "-0", "1e3", "32767",
                 "-32768", "1_000", ""],
    "INTEGER": ["0", "-3", "+5", "0042", " 5 ", "1.5", "-2.5", "2147483647", "1e3", "0x10", ""],
    "BIGINT": ["9223372036854775807", "-1", "1.49", "0", ""],
    "DOUBLE": ["1.5", "-0.0", "0", "1e-5", "1E5", "inf", "-inf", "nan", "NaN", "Infinity", ".5", "5.",
               "1e400", "4.9e-324", "+1.25", " 2 ", "0001.10", ""],
    "BOOLEAN": ["true", "false", "True", "FALSE", "t", "f", "T", "F", "1", "0", "yes", "no", ""],
    "DATE": ["2025-04-03", "2025-4-3", "0001-01-01", "9999-12-31", "2024-02-29", "2025-04-03 ", ""],
    "VARCHAR": ["a", " padded ", "NULL", "", "  ", "\u00a0x\u2003", "é"],
}  # fmt: skip
# ... and miswritten: most of these the reader refuses, which sends the file to the line path.
MISSPELLINGS = ["32768", "2147483648", "9223372036854775808", "١", "1.2.3", "\u00a01", " true",
                "2023-02-29", "20250403", "03/04/2025", "-2025-01-01"]  # fmt: skip
TYPED_TABLE = RawTable("typed_values", tuple(Column(t.lower(), t) for t in SPELLINGS))
TYPED_KIND = SourceKind(
    "typed",
    (FileFormat("typed_csv", TYPED_TABLE, ",", TYPED_TABLE.columns, key=("varchar",)),),
)
wild_text = st.one_of(
    st.sampled_from(MISSPELLINGS),
    st.text(alphabet="0123456789+-.eExX_:/ TtFfNnAaIi\t\u00a0\u2003١", max_size=12),
)
typed_row = st.tuples(
    *(
        st.sampled_from(["spelled"] * 9 + ["wild"]).flatmap(
            lambda how, s=spellings: st.sampled_from(s) if how == "spelled" else wild_text
        )
        for spellings in SPELLINGS.values()
    )
)


@PROPERTY
@given(rows=st.lists(typed_row, max_size=4))
def test_every_type_reads_the_same_both_ways(template_warehouse, rows):
    text = "\n".join([",".join(c.name for c in TYPED_TABLE.columns), *(",".join(r) for r in rows)]) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        write_text(Path(folder) / "raw" / "typed" / "values.csv", text)
        fast_reads = assert_same_both_ways(Path(folder), template_warehouse, TYPED_KIND)
    event(f"fast path read the file: {bool(fast_reads)}")


# --- Bad rows in big files ----------------------------------------------------------


def big_baci(rows: int) -> list[str]:
    """Valid, sorted BACI lines; v is the line number, so that a row names its line."""
    return [f"2023,156,{COMTRADE_CODES[n // 100_000]},{n % 100_000:06d},{n + 2}," for n in range(rows)]


def write_baci_lines(raw_dir: Path, lines: list[str]) -> Path:
    text = "\n".join([",".join(BACI_HEADER), *lines]) + "\n"
    return write_text(raw_dir / "baci" / "BACI_HS17_Y2023_V202401.csv", text)


@pytest.mark.parametrize(
    ("bad", "reason", "fast"),
    [
        ("2023,156,392,000017,0,", "column v: BACI keeps only strictly positive flows, found 0.0", True),
        ("2023,156,840,000017,5,", "column j: country code 840 is not a known comtrade code "
                                   "(see raw.reference_country_codes)", True),
        ("2023,156,392,17,5,", "column k: expected a 6-character HS code as text, found '17'", True),
        ("2023,156,392,,5,", "column k: a value is required", True),
        ("2023,156,392,000017,5", "expected 6 fields, found 5", False),
        ("2023,156,392,000017,five,", "column v: expected DOUBLE, found 'five'", False),
        ('2023,156,392,"000017,5,', "malformed quoting; expected RFC 4180 quoted fields", False),
    ],
    ids=["check", "unknown-code", "hs6", "required", "field-count", "type", "quote"],
)  # fmt: skip
def test_bad_row_in_a_big_file_is_quarantined_with_its_line(tmp_path, template_warehouse, bad, reason, fast):
    """One bad row among 20,000: quarantined with its line number, raw line and reason,
    every other row landed; by the fast path when only a check refuses it."""
    lines = big_baci(20_000)
    lines[12_345] = bad  # line 12,347 of the file
    lines[15_000] = lines[3]  # a repeated key: refused on the fast path too
    write_baci_lines(tmp_path / "raw", lines)
    landed, line_only, fast_reads = land_both_ways(tmp_path, template_warehouse, kind_named("baci"))
    assert landed == line_only
    assert fast_reads == int(fast)
    assert landed["_quarantine"] == [
        ("baci/BACI_HS17_Y2023_V202401.csv", 12_347, bad, reason, "baci_flows_csv", "baci_flows"),
        (
            "baci/BACI_HS17_Y2023_V202401.csv",
            15_002,
            lines[3],
            "duplicate key (t, i, j, k) = (2023, 156, " + lines[3].split(",")[2] + ", 000003); "
            "first seen on line 5",
            "baci_flows_csv",
            "baci_flows",
        ),
    ]
    flows = landed["baci_flows"]
    assert len(flows) == 19_998
    assert all(float(v) == line for _, _, _, _, v, _, _, line in flows)  # every row on its own line


def test_line_numbers_of_a_file_read_in_parallel(tmp_path, template_warehouse):
    """A file of many parts, which DuckDB reads on several threads, keeps its lines' numbers,
    on a connection that lets rows reorder as the warehouse's does (settings.py)."""
    lines = big_baci(1_400_000)  # about 36 MB
    path = write_baci_lines(tmp_path / "raw", lines)
    assert path.stat().st_size > 32 * 2**20  # DuckDB reads a file in 8 MB parts, each on a thread
    shutil.copyfile(template_warehouse, tmp_path / "warehouse.duckdb")
    conn = duckdb.connect(str(tmp_path / "warehouse.duckdb"), config=UNORDERED)
    try:
        with fast_path() as fast_reads:
            report = land_source(conn, kind_named("baci"), tmp_path / "raw")
        assert fast_reads == [True]
        assert [(f.status, f.rows_loaded, f.rows_quarantined) for f in report.files] == [
            ("landed", 1_400_000, 0)
        ]
        assert conn.execute(
            "select count(*), count(*) filter (v = _line_number), min(_line_number), max(_line_number) "
            "from raw.baci_flows"
        ).fetchone() == (1_400_000, 1_400_000, 2, 1_400_001)
        assert_reconciled(conn, "baci")
        assert conn.execute("select current_setting('preserve_insertion_order')").fetchone() == (False,)
    finally:
        conn.close()


def test_file_changed_before_its_refused_lines_are_read_again(conn, raw_dir, monkeypatch):
    """The fast path keeps no raw lines: it reads the refused ones again, and only from the
    content it read the first time."""
    path = write_text(
        raw_dir / "baci" / "a.csv", "t,i,j,k,v,q\n2023,156,392,010121,1,\n2023,156,392,010122,0,\n"
    )
    real_judge = loader.judge

    def change_then_judge(*args, **kwargs):
        path.write_text(path.read_text().replace(",0,", ",7,"))
        real_judge(*args, **kwargs)

    monkeypatch.setattr(loader, "judge", change_then_judge)
    report = land_source(conn, kind_named("baci"), raw_dir)
    assert [(f.status, f.message) for f in report.files] == [
        ("failed", f"{path}: the file changed while it was being read (its SHA-256 differs); land it again")
    ]
    assert quarantine(conn) == []


@pytest.mark.parametrize(
    "data",
    [
        b"t,i,j,k,v,q,note\n2023,156,392,010121,1,,ok\n2023,156,392,010122,1,,caf\xe9\n",
        b"t,i,j,k,v,q,note\n2023,156,392,010121,1,,ok\n2023,156,392,010122,1,,\xc3\n",
    ],
    ids=["latin1-in-an-ignored-column", "cut-utf8-in-an-ignored-column"],
)
def test_bytes_not_utf8_in_an_ignored_column_fail_both_ways(tmp_path, template_warehouse, data):
    """The reader checks only the fields it reads: the fast path reads them all."""
    write_bytes(tmp_path / "raw" / "baci" / "extra.csv", data)
    landed, line_only, fast_reads = land_both_ways(tmp_path, template_warehouse, kind_named("baci"))
    assert landed == line_only
    assert fast_reads == 0
    (*_, status, message) = landed["_landing_ledger"][-1]
    assert (status, "bytes that are not valid UTF-8" in message) == ("failed", True)


def test_extra_columns_on_the_fast_path(tmp_path, template_warehouse):
    write_text(
        tmp_path / "raw" / "baci" / "extra.csv",
        "k,t,note,q,v,j,i,\n010121,2023,hello,,5,392,156,\n010122,2023,,1, 7 ,392,156,x\n",
    )
    landed, line_only, fast_reads = land_both_ways(tmp_path, template_warehouse, kind_named("baci"))
    assert landed == line_only
    assert fast_reads == 1
    assert landed["baci_flows"] == [
        (2023, 156, 392, "010121", "5.0", None, "baci/extra.csv", 2),
        (2023, 156, 392, "010122", "7.0", "1.0", "baci/extra.csv", 3),
    ]
