"""Delimited text -> typed, judged rows, with DuckDB's CSV reader doing the parsing.

A file is read twice, no more: once in Python for its SHA-256 (`scan`, which also
counts the physical lines of the text and notes the empty ones), once by DuckDB's
`read_csv` (`parse`). Only the first lines are read before that, to match the
header against the source kind's formats (`detect`).

The reader is told everything (auto_detect off): delimiter, RFC 4180 quoting
(`"` quotes, `""` escapes a quote; quoted fields may hold delimiters, quotes and
line breaks), how many lines precede the data, a type for every field (text for
the columns whose missing values the publisher writes as `NA` or spaces: they are
cast in SQL), gzip by the name. CRLF or LF and a BOM are its own business. Rows it
cannot read (a value of the wrong type, too few or too many fields, a stray quote)
are not errors: `store_rejects` keeps them, with DuckDB's line number and the
record's text, and they are quarantined with a reason in plain words. Bytes that
are not UTF-8 fail the whole file, at the line the hash pass found them on.

Line numbers. DuckDB numbers a refused record by its logical line (a record is
one line however many line breaks its quoted fields hold; an empty line counts
and is otherwise skipped silently) and does not number the rows it gives. A row
of `_records` is numbered by its place (rowid: the table keeps the file's order),
and `_number` turns places into physical lines: it walks the few events that
shift them (refused records, records with line breaks inside quotes, empty
lines) and checks that every physical line of the text is accounted for, as a
record's line, a line inside a record or an empty line. A file where the reader
skipped something it did not report fails rather than lose it silently.
Empty lines are not records: they are skipped and counted (the ledger says so).

`judge` then refuses what the reader read but the format's checks do not accept
(required values, HS6 codes, known country codes, duplicate keys). Its raw line is
the record's fields as read, joined again with the delimiter (quoted where needed);
a refused record's raw line is DuckDB's own copy of its text.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .errors import LandingError
from .formats import Column, FileFormat, SourceKind, ident, sql_string

_MIN_HEADER_MATCH = 0.5  # share of a format's columns a header must name to be that format
_MAX_HEADER_BYTES = 1 << 20
_TEMP_TABLES = (
    "_records",
    "_breaks",
    "_rejected",
    "_reject_errors",
    "_reject_scans",
    "_refused",
    "_reasons",
)
_QUOTING = "malformed quoting; expected RFC 4180 quoted fields"


@dataclass(frozen=True)
class Detected:
    format: FileFormat
    columns: tuple[Column, ...]  # the format's columns plus any year columns
    positions: dict[str, int]  # column name -> 1-based field position
    field_count: int
    ignored_columns: tuple[str, ...]


@dataclass
class Text:
    """What the hash pass learned: the SHA-256 of the bytes, and of the text they hold
    (decompressed): its physical lines, which of them are empty, the first not UTF-8."""

    sha256: str = ""
    lines: int = 0
    empty_lines: list[int] = field(default_factory=list)
    not_utf8_line: int | None = None
    _hash: object = field(default_factory=hashlib.sha256, repr=False)
    _utf8: object = field(default_factory=codecs.getincrementaldecoder("utf-8"), repr=False)
    _tail: bytes = b"\n"  # the text before its first byte acts as a line end

    def feed(self, data: bytes, text: bytes | None = None) -> None:
        """Hash the next bytes; count the lines of their text (the bytes, unless given)."""
        self._hash.update(data)
        text = data if text is None else text
        if self.not_utf8_line is None and not (text.isascii() and not self._utf8.getstate()[0]):
            try:
                self._utf8.decode(text)
            except UnicodeDecodeError as error:
                self.not_utf8_line = self.lines + text.count(b"\n", 0, error.start) + 1
        # A line end, then an empty line: searched for in the chunk and across its start,
        # and only where one is does the chunk get joined to the bytes before it.
        parts = (self._tail + text[:2], text)
        if any(b"\n\n" in part or (b"\r" in part and b"\n\r\n" in part) for part in parts):
            joined, counted, position = self._tail + text, self.lines - self._tail.count(b"\n"), 0
            for match in re.finditer(rb"\n(?=(\r?\n))", joined):
                if match.end(1) > len(self._tail):  # not found in the bytes before
                    counted += joined.count(b"\n", position, match.end(0))
                    position = match.end(0)
                    self.empty_lines.append(counted + 1)
        self.lines += text.count(b"\n")
        self._tail = (self._tail + text[-2:])[-2:]

    def done(self) -> Text:
        self.sha256 = self._hash.hexdigest()
        try:
            self._utf8.decode(b"", final=True)
        except UnicodeDecodeError:  # the text ends inside a character
            self.not_utf8_line = self.not_utf8_line or self.lines + 1
        self.lines += self._tail[-1:] != b"\n"  # a last line without its line end
        return self


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def scan(path: Path, name: str) -> Text:
    """The file's hash and its text's lines in one pass (a .gz is decompressed)."""
    text = Text()
    inflate = zlib.decompressobj(wbits=31) if path.suffix == ".gz" else None
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                text.feed(chunk, inflate and inflate.decompress(chunk))
                while inflate and inflate.eof and inflate.unused_data:  # a gzip of several members
                    rest, inflate = inflate.unused_data, zlib.decompressobj(wbits=31)
                    text.feed(b"", inflate.decompress(rest))
        if inflate is not None and not inflate.eof:
            raise zlib.error("incomplete")
    except zlib.error:
        raise LandingError(name, "truncated or corrupt gzip data; expected a complete .gz file") from None
    return text.done()


# --- Detecting the format --------------------------------------------------------


def first_lines(path: Path, count: int, name: str) -> list[str]:
    """The first `count` physical lines of the text, decoded (no BOM, no line end)."""
    opener = gzip.open if path.suffix == ".gz" else open
    lines = []
    with opener(path, "rb") as handle:
        for number in range(1, count + 1):
            raw = handle.readline(_MAX_HEADER_BYTES)
            if not raw:
                break
            try:
                lines.append(raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n"))
            except UnicodeDecodeError:
                raise _not_utf8(name, number) from None
    if not lines:
        raise LandingError(name, "the file is empty; expected a header line and data rows")
    return lines


def _not_utf8(name: str, line: int | None) -> LandingError:
    return LandingError(name, "bytes that are not valid UTF-8; expected UTF-8 text (re-save as UTF-8)", line)


def detect(lines: list[str], kind: SourceKind, name: str) -> Detected:
    """Match the header against the kind's formats; fail with what was expected."""
    candidates = []
    for fmt in kind.formats:
        if len(lines) < fmt.header_line:
            continue
        header = _split_header(lines[fmt.header_line - 1], fmt.delimiter)
        names = {c.name for c in fmt.columns}
        named = [h for h in header if h]
        shared = len(names.intersection(named))
        # How much of the format the header names, then how much of the header it explains.
        candidates.append(((shared / len(names), shared / max(len(named), 1)), fmt, header))
    if not candidates or max(c[0][0] for c in candidates) < _MIN_HEADER_MATCH:
        expected = "; ".join(
            f"{f.description or f.name} ({', '.join(c.name for c in f.columns[:4])}, ...)"
            for f in kind.formats
        )
        first = lines[0] if len(lines[0]) <= 120 else lines[0][:120] + "..."
        raise LandingError(name, f"unknown header {first!r}; expected a {kind.name} file: {expected}", 1)
    _, fmt, header = max(candidates, key=lambda c: c[0])
    missing = [c.name for c in fmt.columns if c.name not in header]
    if missing:
        raise LandingError(
            name,
            f"the header lacks required column(s) {', '.join(missing)} of format {fmt.name}",
            fmt.header_line,
        )
    known = {c.name for c in fmt.columns}
    columns, ignored = list(fmt.columns), []
    for column in header:
        if column in known or not column:
            continue
        if fmt.year_column_type and re.fullmatch(r"\d{4}", column):
            columns.append(Column(column, fmt.year_column_type))
        else:
            ignored.append(column)
    positions = {column: i + 1 for i, column in enumerate(header) if column}
    return Detected(fmt, tuple(columns), positions, len(header), tuple(ignored))


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        fields = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    except csv.Error:  # e.g. a field over the csv module's size limit: not a header
        return []
    return [name.strip() for name in fields]


# --- Reading ------------------------------------------------------------------------


def parse(conn: duckdb.DuckDBPyConnection, path: Path, detected: Detected, text: Text, name: str) -> int:
    """Read the data records into `_records`, the refused ones into `_rejected`
    (physical line, raw line, reason), and define the view `_typed` and the table macro `_raw_lines()`;
    return the number of empty lines skipped."""
    if text.not_utf8_line is not None:
        raise _not_utf8(name, text.not_utf8_line)
    fmt, count = detected.format, detected.field_count
    types = {detected.positions[c.name]: c for c in detected.columns}
    fields = range(1, count + 1)
    texts = {p for p in fields if p not in types or types[p].na or types[p].type == "VARCHAR"}
    read = ", ".join(f"'c{p}': '{'VARCHAR' if p in texts else types[p].type}'" for p in fields)
    na = {p for p in fields if p in types and types[p].na}
    # Text trimmed and NA columns cast once, here, where the reading runs on every thread;
    # the text of a value that is not NA and does not cast is kept (c<n>_raw) for its reason.
    values = []
    for p in fields:
        if p in na:
            given = f"nullif(nullif(trim(c{p}), ''), 'NA')"
            cast = f"try_cast({given} as {types[p].type})"
            values += [
                f"{cast} as c{p}",
                f"case when {cast} is null and {given} is not null then c{p} end as c{p}_raw",
            ]
        else:
            values.append(f"nullif(trim(c{p}), '') as c{p}" if p in texts else f"c{p}")
    for table in ("_reject_errors", "_reject_scans"):
        conn.execute(f"drop table if exists {table}")
    # The rows keep the file's order (rowid numbers them); this statement only.
    conn.execute("set session preserve_insertion_order = true")
    try:
        conn.execute(
            f"""
            create or replace temp table _records as select {", ".join(values)}
            from read_csv(?, columns={{{read}}}, header=false, skip={fmt.header_line},
                delim={sql_string(fmt.delimiter)}, quote='"', escape='"', auto_detect=false,
                compression={"'gzip'" if path.suffix == ".gz" else "'none'"}, strict_mode=true,
                store_rejects=true, rejects_table='_reject_errors', rejects_scan='_reject_scans')
            """,
            [str(path)],
        )
    except duckdb.Error as error:
        line = re.search(r"[Ll]ine:? (\d+)", str(error))
        first = str(error).splitlines()[0]
        raise LandingError(name, f"cannot be read as CSV ({first})", line and int(line[1])) from None
    finally:
        conn.execute("reset session preserve_insertion_order")
    rejects = _reader_rejects(conn, {f"c{p}": column for column, p in detected.positions.items()})
    (good,) = conn.execute("select count(*) from _records").fetchone()
    empty = sum(1 for line in text.empty_lines if line > fmt.header_line)
    multi = []
    if text.lines != fmt.header_line + good + sum(r[1] for r in rejects) + empty:
        # Some record read holds a line break: which, and how many.
        columns = [f"c{p}_raw" if p in na else f"c{p}" for p in texts]
        breaks = " + ".join(f"coalesce(length({c}) - length(replace({c}, chr(10), '')), 0)" for c in columns)
        multi = conn.execute(
            f"select * from (select rowid, {breaks} as n from _records) where n > 0 order by 1"
        )
        multi = multi.fetchall()
    breaks, lines, empty = _number(fmt.header_line, good, multi, rejects, text, name)
    refused = [(line, r[2], r[3]) for line, r in zip(lines, rejects, strict=True)]
    for table, columns, rows in (
        ("_breaks", "start bigint, shift bigint", breaks),
        ("_rejected", "_line_number bigint, _raw_line varchar, _reason varchar", refused),
    ):
        conn.execute(f"create or replace temp table {table} ({columns})")
        if rows:
            conn.executemany(f"insert into {table} values ({', '.join('?' * len(rows[0]))})", rows)
    values = [f"coalesce(c{p}_raw, cast(c{p} as varchar))" if p in na else f"c{p}" for p in fields]
    raw_line = f" || {sql_string(fmt.delimiter)} || ".join(_quoted(v, fmt.delimiter) for v in values)
    conn.execute(f"create or replace temp view _typed as {_numbered(_typed_columns(detected), breaks)}")
    # The raw lines, needed only for refused rows, are a table macro: DuckDB binds a view's
    # every expression when it is created and in each query that reads it (some 20 ms
    # for a Comtrade file's 47 columns), a macro only where it is called.
    select = _numbered(f"{raw_line} as _raw_line", breaks)
    conn.execute(f"create or replace temp macro _raw_lines() as table {select}")
    return empty


def _numbered(select: str, breaks: list[tuple[int, int]]) -> str:
    """`select` over `_records`, with each record's physical line number (`rowid`
    follows the file's order; `_breaks` shifts it past records spanning several lines)."""
    if len(breaks) == 1:
        return f"select rowid + {breaks[0][1]} as _line_number, {select} from _records"
    return (
        f"select _records.rowid + shift as _line_number, {select} "
        "from _records asof join _breaks on _records.rowid >= _breaks.start"
    )


def _quoted(column: str, delimiter: str) -> str:
    """SQL rendering a field as RFC 4180 text (quoted when it must be)."""
    value, special = f"coalesce(cast({column} as varchar), '')", sql_string(f'[{re.escape(delimiter)}"\n\r]')
    return f"""(case when regexp_matches({value}, {special})
        then '"' || replace({value}, '"', '""') || '"' else {value} end)"""


def _reader_rejects(conn, names: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """(DuckDB's logical line, physical lines spanned, raw line, reason) of
    each record the reader refused, in file order (several errors of a record in one)."""
    rows = conn.execute(
        """
        select line, any_value(csv_line),
            list({'column': column_name, 'type': error_type, 'message': error_message} order by column_idx)
        from _reject_errors group by line order by line
        """
    ).fetchall()
    rejects = []
    for line, raw, errors in rows:
        raw = (raw or "").lstrip("\r\n")  # DuckDB's copy may start with the line end before it
        raw = raw[:-2] if raw.endswith("\r\n") else raw.rstrip("\n")
        reasons = "; ".join(dict.fromkeys(_reason(error, names) for error in errors))
        rejects.append((line, raw.count("\n") + 1, raw, reasons))
    return rejects


def _reason(error: dict, names: dict[str, str]) -> str:
    """DuckDB's reject error in plain words, naming what was expected."""
    kind, message = error["type"], error["message"] or ""
    if kind == "CAST":
        match = re.search(r'Could not convert string "(.*)" to \'?([A-Z]+)', message, re.S)
        found, expected = (match[1], match[2]) if match else ("?", "?")
        return f"column {names.get(error['column'], error['column'])}: expected {expected}, found '{found}'"
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        return "expected {} fields, found {}".format(*[*re.findall(r"\d+", message), "?", "?"][:2])
    return _QUOTING if kind == "UNQUOTED VALUE" else f"{kind.lower()}: {message}"


def _number(header_line, good, multi, rejects, text: Text, name):
    """Physical line numbers. Returns the breakpoints (first rowid, shift: line = rowid +
    shift) of the rows read, the physical line of each refused record, and the number of
    empty lines skipped; fails if a physical line of the text is not accounted for."""
    empty = [e for e in text.empty_lines if e > header_line]
    physical = logical = header_line + 1
    row, e, r, m = 0, 0, 0, 0
    breaks, lines, skipped = [], [], 0
    infinity = float("inf")

    def shift(row):  # rows from `row` on are on line rowid + this shift
        if not breaks or breaks[-1][1] != physical - row:
            breaks.append((row, physical - row))

    while True:
        while e < len(empty) and empty[e] < physical:  # inside a record already numbered
            e += 1
        k = min(
            empty[e] - physical if e < len(empty) else infinity,
            rejects[r][0] - logical if r < len(rejects) else infinity,
            multi[m][0] - row if m < len(multi) else infinity,
            good - row,
        )
        if k > 0:
            shift(row)
            row, physical, logical = row + k, physical + k, logical + k
        elif e < len(empty) and empty[e] == physical:
            physical, logical, skipped, e = physical + 1, logical + 1, skipped + 1, e + 1
        elif r < len(rejects) and rejects[r][0] == logical:
            lines.append(physical)
            physical, logical, r = physical + rejects[r][1], logical + 1, r + 1
        elif m < len(multi) and multi[m][0] == row and row < good:
            shift(row)
            physical, logical, row, m = physical + 1 + multi[m][1], logical + 1, row + 1, m + 1
        else:
            break
    skipped += len(empty) - e
    if row != good or r != len(rejects) or physical - 1 + len(empty) - e != text.lines:
        raise LandingError(
            name,
            f"the CSV reader accounted for {physical - 1 + len(empty) - e} of the file's {text.lines} lines; "
            "expected every line to be a record, a line break inside a quoted field or an empty line",
        )
    return breaks or [(0, header_line + 1)], lines, skipped


# --- Rules of a row ----------------------------------------------------------------


def _typed_columns(detected: Detected) -> str:
    """Select list: each column with its type and `_row_reason`, what breaks a rule on
    the row alone. The columns are typed already: by the reader, or as NA columns."""
    selected, reasons = [], []
    for column in detected.columns:
        raw = f"c{detected.positions[column.name]}"
        name = column.name.replace("'", "''")
        if column.na:
            reasons.append(
                f"case when {raw}_raw is not null "
                f"then 'column {name}: expected {column.type} or NA, found ''' || {raw}_raw || '''' end"
            )
        if column.required:
            reasons.append(f"case when {raw} is null then 'column {name}: a value is required' end")
        selected.append(f"{raw} as {ident(column.name)}")
    reason = f"nullif(concat_ws('; ', {', '.join(reasons)}), '')" if reasons else "null::varchar"
    return f"{', '.join(selected)}, {reason} as _row_reason"


# --- Judging ------------------------------------------------------------------------


def judge(conn: duckdb.DuckDBPyConnection, fmt: FileFormat) -> None:
    """`_refused` (`_line_number`, `_raw_line`, `_reason` of every refused record: by the
    reader, by a row rule, by a check, or as a later duplicate of a key)."""
    check_reasons = ", ".join(f"case when {c.bad_when} then {c.reason} end" for c in fmt.checks) or "null"
    refused = " or ".join(["_row_reason is not null", *(f"({c.bad_when})" for c in fmt.checks)])
    # A row's own reason comes first; the format's checks are the reason of a row without one.
    conn.execute(
        f"""
        create or replace temp table _reasons as
        select _line_number, coalesce(_row_reason, nullif(concat_ws('; ', {check_reasons}), '')) as _reason
        from _typed where {refused}
        """
    )
    if fmt.key:
        _add_duplicates(conn, fmt)
    # The raw line is rebuilt only where a rule refused a row (usually none).
    refused_rows = (
        "select _line_number, _raw_line, _reason from _raw_lines() join _reasons using (_line_number) "
        "union all "
        if conn.execute("from _reasons limit 1").fetchone()
        else ""
    )
    conn.execute(f"create or replace temp table _refused as {refused_rows}select * from _rejected")


def _add_duplicates(conn: duckdb.DuckDBPyConnection, fmt: FileFormat) -> None:
    """Add to `_reasons` every row whose key an earlier row without a reason holds."""
    key = [ident(k) for k in fmt.key]
    columns = ", ".join(key)
    keyed = (
        f"(select _line_number, {columns} from _typed where {' and '.join(f'{k} is not null' for k in key)})"
    )
    # Keys that strictly increase from each row to the next cannot repeat: the usual
    # case (BACI files are sorted), proven in one streaming pass instead of grouping
    # every row by its key. `_typed` is in the file's order unless it joins breakpoints.
    order = "order by _line_number" if conn.execute("select count(*) from _breaks").fetchone()[0] > 1 else ""
    (out_of_order,) = conn.execute(
        f"select count(*) from (select ({columns}) > lag(({columns})) over ({order}) as up from {keyed}) "
        "where not up"
    ).fetchone()
    if not out_of_order:
        return
    candidates = f"(select * from {keyed} anti join _reasons using (_line_number))"
    key_text = " || ', ' || ".join(f"coalesce(cast({k} as varchar), '')" for k in key)
    reason = f"'duplicate key ({', '.join(fmt.key)}) = (' || {key_text} || '); first seen on line ' || _first"
    conn.execute(
        f"""
        insert into _reasons
        select _line_number, {reason}
        from {candidates}
        join (
            select {columns}, min(_line_number) as _first from {candidates}
            group by all having count(*) > 1
        ) using ({columns})
        where _line_number > _first
        """
    )


def drop_temporaries(conn: duckdb.DuckDBPyConnection) -> None:
    """Drop what reading and judging a file left on the connection."""
    conn.execute("drop view if exists _typed")
    conn.execute("drop macro table if exists _raw_lines")
    for table in _TEMP_TABLES:
        conn.execute(f"drop table if exists {table}")
