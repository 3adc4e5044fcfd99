"""Delimited text -> typed, judged rows, entirely inside DuckDB.

`read_file` gives a file's data rows as the view `_typed` (over temp table
`_records`): each row's physical line number, its values cast to the declared
types and `_row_reason`, what is wrong with the row alone (field count, types,
required values). It reads a file one of two ways, with the same result:

- the line path: every physical line goes to `_lines` with its line number
  (DuckDB's CSV reader with one column and no quoting; gzip is decompressed on
  the fly), the header line is matched against the source kind's formats, and
  each data line is split into fields (a plain split where the line has no
  quote, an RFC 4180 regular expression where it has) and cast in SQL;
- the fast path, for plain files (no quote, carriage return, NUL or 0x1F byte,
  not compressed): only the header lines go to `_lines`, and DuckDB's CSV reader
  splits the data lines and casts the fields itself, several times faster. Its
  n-th row is line header + n only if every data line became exactly one row; a
  line it skips (blank) or cannot split or cast (it drops those) shows as a row
  count short of the file's line count, and then the line path reads the file.
  It keeps no raw lines: `judge` reads those of refused rows again.

`judge` then refuses rows: those with a row reason, those that fail the format's
checks (HS6, known country codes, ...) and later rows with a duplicate key, in
temp table `_refused` (line number, raw line, reason); the view `_judged` is
`_typed` with the reason, NULL for accepted rows.

Keeping the physical line number of every row, and the raw line of every
refused row, is what lets a quarantined row name exactly where it came from.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .errors import LandingError
from .formats import Column, FileFormat, SourceKind, ident, sql_string

# A field separator that never occurs in text: each line is read as one column.
_LINE_READER_OPTIONS = (
    "columns={'line': 'VARCHAR'}, header=false, delim='\x1f', quote='', escape='', auto_detect=false"
)
_WINDOWS_NEWLINE = ", new_line='\\r\\n'"
_MIN_HEADER_MATCH = 0.5  # share of a format's columns a header must name to be that format
# Bytes the fast reader must not meet. A quote: quoted fields (maybe over several
# lines) are the line path's to split. A carriage return: the line reader has its
# own rules for line endings. NUL and 0x1F: the line reader refuses 0x1F (its
# field separator) and these are no text a source writes.
_NOT_PLAIN = (b'"', b"\r", b"\x00", b"\x1f")
# File names DuckDB decompresses by their extension: the bytes are not the text.
_COMPRESSED = (".gz", ".zst")
# Temp tables and views of a landing, dropped by drop_temporaries.
_TEMP_VIEWS = ("_judged", "_typed", "_fields")
_TEMP_TABLES = ("_records", "_reasons", "_refused", "_lines")


@dataclass(frozen=True)
class Detected:
    format: FileFormat
    columns: tuple[Column, ...]  # the format's columns plus any year columns
    positions: dict[str, int]  # column name -> 1-based field position
    field_count: int
    ignored_columns: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A file read into `_typed`: the content hash it was read as, its format, and
    whether the fast reader read it (then `_lines` holds only the header lines)."""

    path: Path
    sha256: str
    detected: Detected
    fast: bool


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_file(conn: duckdb.DuckDBPyConnection, path: Path, kind: SourceKind, sha256: str) -> Source:
    """Read `path` into `_typed` and detect its format, by the fast path where it
    gives what the line path gives. What was read must be the content hashed as
    `sha256` (or nothing of it lands)."""
    detected = _read_fast(conn, path, kind, sha256)
    if detected:
        return Source(path, sha256, detected, fast=True)
    read_lines(conn, path)
    _check_unchanged(path, sha256, file_sha256(path))
    detected = detect(conn, path, kind)
    _type_lines(conn, detected)
    return Source(path, sha256, detected, fast=False)


def _check_unchanged(path: Path, sha256: str, read_sha256: str) -> None:
    if read_sha256 != sha256:
        raise LandingError(
            path, "the file changed while it was being read (its SHA-256 differs); land it again"
        )


def read_lines(conn: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load every line of `path` into temp table `_lines`; return the line count."""
    try:
        conn.execute(f"create or replace temp table _lines as {_lines_sql(path)}", [str(path)])
    except duckdb.Error as error:
        raise _unreadable(path, error) from None
    (count,) = conn.execute("select count(*) from _lines").fetchone()
    if count == 0:
        raise LandingError(path, "the file is empty; expected a header line and data rows")
    return count


def _lines_sql(path: Path) -> str:
    """SQL selecting `line_number, line` of every physical line of the file (parameter ?)."""
    newline = _WINDOWS_NEWLINE if _uses_windows_newlines(path) else ""
    return (
        "select ordinality as line_number, line "
        f"from read_csv(?, {_LINE_READER_OPTIONS}{newline}) with ordinality"
    )


def _uses_windows_newlines(path: Path) -> bool:
    """Whether the first line ends in CRLF (DuckDB needs telling, or counts extra lines)."""
    opener = _open_binary(path)
    try:
        with opener as handle:
            return handle.readline(1 << 20).endswith(b"\r\n")
    except (OSError, EOFError):
        return False  # read_lines reports the real problem


def _open_binary(path: Path):
    if path.suffix == ".gz":
        import gzip

        return gzip.open(path, "rb")
    return open(path, "rb")


def _unreadable(path: Path, error: duckdb.Error) -> LandingError:
    text = str(error)
    line_match = re.search(r"CSV Error on Line: (\d+)", text)
    line = int(line_match.group(1)) if line_match else None
    if "unicode" in text.lower():
        return LandingError(
            path, "bytes that are not valid UTF-8; expected UTF-8 text (re-save as UTF-8)", line
        )
    if "gzip" in text.lower():
        return LandingError(path, "truncated or corrupt gzip data; expected a complete .gz file")
    if "state machine reached an invalid state" in text:
        # The line reader splits on one line-ending style; a stray carriage return breaks it.
        return LandingError(
            path,
            "mixed line endings (a carriage return that does not end a line the way the first "
            "line does); expected one line-ending style throughout (LF or CRLF)",
            line,
        )
    if "Expected Number of Columns" in text:
        return LandingError(path, "a control character (0x1F) in the text; expected plain text", line)
    first = text.splitlines()[0] if text else type(error).__name__
    return LandingError(path, f"cannot be read as lines of text ({first})", line)


# --- Detecting the format --------------------------------------------------------


def detect(conn: duckdb.DuckDBPyConnection, path: Path, kind: SourceKind) -> Detected:
    """Match the header against the kind's formats; fail with what was expected."""
    candidates = []
    for fmt in kind.formats:
        row = conn.execute("select line from _lines where line_number = ?", [fmt.header_line]).fetchone()
        if row is None or row[0] is None:
            continue
        header = _split_header(row[0], fmt.delimiter)
        names = {c.name for c in fmt.columns}
        named = [h for h in header if h]
        shared = len(names.intersection(named))
        # How much of the format the header names, then how much of the header it explains.
        score = (shared / len(names), shared / max(len(named), 1))
        candidates.append((score, fmt, header))
    if not candidates or max(c[0][0] for c in candidates) < _MIN_HEADER_MATCH:
        first = conn.execute("select line from _lines where line_number = 1").fetchone()[0] or ""
        expected = "; ".join(
            f"{f.description or f.name} ({', '.join(c.name for c in f.columns[:4])}, ...)"
            for f in kind.formats
        )
        raise LandingError(
            path,
            f"unknown header {_shorten(first)!r}; expected a {kind.name} file: {expected}",
            line=1,
        )
    _, fmt, header = max(candidates, key=lambda c: c[0])
    missing = [c.name for c in fmt.columns if c.name not in header]
    if missing:
        raise LandingError(
            path,
            f"the header lacks required column(s) {', '.join(missing)} of format {fmt.name}",
            line=fmt.header_line,
        )
    positions = {name: i + 1 for i, name in enumerate(header) if name}
    columns = list(fmt.columns)
    ignored = []
    known = {c.name for c in fmt.columns}
    for name in header:
        if name in known or not name:
            continue
        if fmt.year_column_type and re.fullmatch(r"\d{4}", name):
            columns.append(Column(name, fmt.year_column_type))
        else:
            ignored.append(name)
    return Detected(fmt, tuple(columns), positions, len(header), tuple(ignored))


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        fields = next(csv.reader([line.lstrip("\ufeff")], delimiter=delimiter))
    except csv.Error:  # e.g. a field over the csv module's size limit: not a header
        return []
    return [name.strip() for name in fields]


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


# --- The line path ----------------------------------------------------------------


def _type_lines(conn: duckdb.DuckDBPyConnection, detected: Detected) -> None:
    """`_records` and the view `_typed` from `_lines`: each data line split into
    fields and cast (into a table: splitting and casting are the costly part)."""
    fmt = detected.format
    delim = sql_string(fmt.delimiter)
    field_pattern = sql_string(_field_pattern(fmt.delimiter))
    conn.execute(
        f"""
        create or replace temp view _fields as
        select
            line_number,
            case
                when not contains(line, '"') then string_split(line, {delim})
                else list_transform(
                    regexp_extract_all({delim} || line, {field_pattern}, 1),
                    lambda f: case when f[1] = '"' then replace(f[2:-2], '""', '"') else f end)
            end as fields,
            -- a case, not an `and`: DuckDB would run the regex on every line otherwise
            case when contains(line, '"') then length({delim} || line) != list_sum(list_transform(
                regexp_extract_all({delim} || line, {field_pattern}, 0), lambda m: length(m)
            )) else false end as is_malformed
        from _lines
        where line_number > {fmt.header_line} and line is not null and trim(line) != ''
        """
    )
    n = detected.field_count
    shape = (
        "when is_malformed then 'malformed quoting; expected RFC 4180 quoted fields' "
        f"when len(fields) != {n} then 'expected {n} fields, found ' || len(fields)"
    )
    conn.execute(
        f"""
        create or replace temp table _records as
        select line_number as _line_number, {_typed_columns(detected, _line_field, shape)}
        from _fields
        """
    )
    conn.execute("create or replace temp view _typed as select * from _records")


def _field_pattern(delimiter: str) -> str:
    """One field after its delimiter: quoted (with "" escapes) or unquoted."""
    d = re.escape(delimiter)
    return f'{d}("(?:[^"]|"")*"|[^{d}"]*)'


def _line_field(detected: Detected, column: Column) -> str:
    return _text_value(f"fields[{detected.positions[column.name]}]")


# --- The fast path ----------------------------------------------------------------


def _read_fast(conn: duckdb.DuckDBPyConnection, path: Path, kind: SourceKind, sha256: str) -> Detected | None:
    """Fill `_typed` with DuckDB's typed CSV reader; None where that would not give
    what the line path gives, or might not (then the line path reads the file, and
    reports whatever is wrong with it exactly as it always has)."""
    if path.suffix in _COMPRESSED or _uses_windows_newlines(path):
        return None
    header_lines = max(f.header_line for f in kind.formats)
    try:
        conn.execute(
            f"create or replace temp table _lines as {_lines_sql(path)} limit {header_lines}", [str(path)]
        )
        if not conn.execute("select count(*) from _lines").fetchone()[0]:
            return None
        detected = detect(conn, path, kind)
    except (duckdb.Error, LandingError):
        return None
    fmt = detected.format
    (header,) = conn.execute("select line from _lines where line_number = ?", [fmt.header_line]).fetchone()
    # A quoted header: the fields are quoted too. A single field: a line of spaces
    # would be a value to the reader and a blank line to the line path.
    if '"' in header or detected.field_count < 2:
        return None
    try:
        _read_typed(conn, path, detected)
    except duckdb.Error:
        return None
    (rows,) = conn.execute("select count(*) from _typed").fetchone()
    # The file is hashed after it was read, as on the line path; the same pass
    # counts its lines and looks for bytes the fast reader must not meet.
    read_sha256, lines, plain = _scan(path)
    _check_unchanged(path, sha256, read_sha256)
    return detected if plain and rows == lines - fmt.header_line else None


def _read_typed(conn: duckdb.DuckDBPyConnection, path: Path, detected: Detected) -> None:
    """`_records`: the data lines as DuckDB's CSV reader gives them, each field typed
    as its column (the reader drops a line it cannot split or cast), text trimmed
    and NULL when empty as on the line path; no quoting, explicit options. The view
    `_typed` numbers the rows, row n being line header + n when no line was dropped
    or skipped, and applies the row's rules to them.

    Every field is read, an ignored column's too: the reader checks only the fields
    it is asked for (that they are UTF-8, for one). Rows are numbered by their place
    in `_records` (rowid), kept in file order: numbering them while reading (`with
    ordinality`) would make the reader run on one thread, at half the speed."""
    fmt = detected.format
    types = {detected.positions[c.name]: c.type for c in detected.columns}
    positions = range(1, detected.field_count + 1)
    fields = ", ".join(f"'c{p}': {sql_string(types.get(p, 'VARCHAR'))}" for p in positions)
    # Text trimmed once here, where the reading runs on every thread.
    values = ", ".join(
        f"{_text_value(f'c{p}')} as c{p}" if types.get(p) == "VARCHAR" else f"c{p}" for p in positions
    )
    # On this connection only, for this statement (the warehouse's setting lets rows reorder).
    conn.execute("set session preserve_insertion_order = true")
    try:
        conn.execute(
            f"""
            create or replace temp table _records as
            select {values}
            from read_csv(?, columns={{{fields}}}, header=false, skip={fmt.header_line},
                delim={sql_string(fmt.delimiter)}, quote='', escape='', compression='none',
                auto_detect=false, ignore_errors=true)
            """,
            [str(path)],
        )
    finally:
        conn.execute("reset session preserve_insertion_order")
    # The same casts (which change nothing here) and rules as on the line path.
    conn.execute(
        f"""
        create or replace temp view _typed as
        select rowid + {fmt.header_line + 1} as _line_number,
            {_typed_columns(detected, _reader_field)}
        from _records
        """
    )


def _reader_field(detected: Detected, column: Column) -> str:
    """The column's field in `_records`: cast already, or text trimmed (NULL when empty)."""
    return f"c{detected.positions[column.name]}"


def _scan(path: Path) -> tuple[str, int, bool]:
    """One pass over the bytes: their SHA-256, how many lines the line reader counts
    in them, and whether they are plain (none of _NOT_PLAIN)."""
    digest = hashlib.sha256()
    lines, plain, last = 0, True, b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            plain = plain and not any(byte in chunk for byte in _NOT_PLAIN)
            last = chunk
    if last and not last.endswith(b"\n"):  # a last line without a line break
        lines += 1
    return digest.hexdigest(), lines, plain


# --- Rules of a row, whichever way its fields were obtained ------------------------


def _text_value(field: str) -> str:
    """The field's text, trimmed, NULL when empty."""
    return f"nullif(trim({field}), '')"


def _typed_columns(
    detected: Detected, field: Callable[[Detected, Column], str], shape_reasons: str = ""
) -> str:
    """Select list: each column cast to its type and `_row_reason`, what breaks a
    rule on the row alone. `field` gives a column's value before the cast (NULL
    when empty); `shape_reasons`, WHEN clauses for lines that split wrong."""
    typed = ", ".join(
        f"try_cast({field(detected, c)} as {c.type}) as {ident(c.name)}" for c in detected.columns
    )
    reasons = (
        ", ".join(reason for c in detected.columns for reason in _column_reasons(field(detected, c), c))
        or "null"
    )
    row_reason = f"nullif(concat_ws('; ', {reasons}), '')"
    if shape_reasons:
        row_reason = f"case {shape_reasons} else {row_reason} end"
    return f"{typed}, {row_reason} as _row_reason"


def _column_reasons(raw: str, column: Column) -> list[str]:
    name = column.name.replace("'", "''")
    reasons = []
    if column.type != "VARCHAR":
        # Never true on the fast path, whose reader cast the field already.
        reasons.append(
            f"case when {raw} is not null and try_cast({raw} as {column.type}) is null "
            f"then 'column {name}: expected {column.type}, found ''' || {raw} || '''' end"
        )
    if column.required:
        reasons.append(f"case when {raw} is null then 'column {name}: a value is required' end")
    return reasons


# --- Judging ------------------------------------------------------------------------


def judge(conn: duckdb.DuckDBPyConnection, source: Source, source_file: str) -> None:
    """Build `_refused` (`_line_number`, `_raw_line`, `_reason` of every refused row)
    and the view `_judged`: `_typed` with `_source_file`, `_raw_line` and `_reason`."""
    fmt = source.detected.format
    check_reasons = (
        ", ".join(f"case when {check.bad_when} then {check.reason} end" for check in fmt.checks) or "null"
    )
    # The reasons are written out only for the rows that have one (the filter runs first).
    refused = " or ".join(["_row_reason is not null", *(f"({check.bad_when})" for check in fmt.checks)])
    # A row's own reason comes first; the format's checks are the reason of a row without one.
    conn.execute(
        f"""
        create or replace temp table _reasons as
        select _line_number,
            coalesce(_row_reason, nullif(concat_ws('; ', {check_reasons}), '')) as _reason
        from _typed
        where {refused}
        """
    )
    if fmt.key:
        _add_duplicates(conn, fmt)
    if source.fast and conn.execute("select count(*) from _reasons").fetchone()[0]:
        # The fast path kept no raw lines: read the refused ones again, from the same content.
        conn.execute(
            f"create or replace temp table _lines as select * from ({_lines_sql(source.path)}) "
            "where line_number in (select _line_number from _reasons)",
            [str(source.path)],
        )
        _check_unchanged(source.path, source.sha256, file_sha256(source.path))
    conn.execute(
        """
        create or replace temp table _refused as
        select _reasons._line_number, _lines.line as _raw_line, _reasons._reason
        from _reasons left join _lines on _lines.line_number = _reasons._line_number
        """
    )
    conn.execute(
        f"""
        create or replace temp view _judged as
        select _typed.* exclude (_row_reason), {sql_string(source_file)} as _source_file,
            _refused._raw_line, _refused._reason
        from _typed left join _refused using (_line_number)
        """
    )


def _add_duplicates(conn: duckdb.DuckDBPyConnection, fmt: FileFormat) -> None:
    """Add to `_reasons` every row whose key an earlier row without a reason holds."""
    key = [ident(k) for k in fmt.key]
    columns = ", ".join(key)
    keyed = (
        f"(select _line_number, {columns} from _typed where {' and '.join(f'{k} is not null' for k in key)})"
    )
    # Keys that strictly increase from each row to the next cannot repeat: the usual
    # case (BACI files are sorted), proven in one streaming pass instead of grouping
    # every row by its key. Rows with a reason are in the pass too: keys that are all
    # different stay different without them.
    (out_of_order,) = conn.execute(
        f"select count(*) from (select ({columns}) > lag(({columns})) over () as up from {keyed}) "
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
    for view in _TEMP_VIEWS:
        conn.execute(f"drop view if exists {view}")
    for table in _TEMP_TABLES:
        conn.execute(f"drop table if exists {table}")
