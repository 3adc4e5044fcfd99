"""Delimited text -> typed, judged rows, entirely inside DuckDB.

Three steps, each a temporary table on the landing connection:

1. `_lines`: every physical line of the file with its line number (DuckDB's CSV
   reader with one column and no quoting; gzip is decompressed on the fly).
2. detection: the header line is matched against the source kind's formats.
3. `_judged`: each data line split into fields (a plain split where the line
   has no quote, an RFC 4180 regular expression where it has), every column cast
   to its declared type, and a `_reason` for every row that breaks a rule
   (field count, types, required values, the format's checks, duplicate keys).

Keeping the physical line number and the raw line for every row is what lets a
quarantined row name exactly where it came from.
"""

from __future__ import annotations

import csv
import re
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


@dataclass(frozen=True)
class Detected:
    format: FileFormat
    columns: tuple[Column, ...]  # the format's columns plus any year columns
    positions: dict[str, int]  # column name -> 1-based field position
    field_count: int
    ignored_columns: tuple[str, ...]


def read_lines(conn: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load every line of `path` into temp table `_lines`; return the line count."""
    newline = _WINDOWS_NEWLINE if _uses_windows_newlines(path) else ""
    try:
        conn.execute(
            "create or replace temp table _lines as select ordinality as line_number, line "
            f"from read_csv(?, {_LINE_READER_OPTIONS}{newline}) with ordinality",
            [str(path)],
        )
    except duckdb.Error as error:
        raise _unreadable(path, error) from None
    (count,) = conn.execute("select count(*) from _lines").fetchone()
    if count == 0:
        raise LandingError(path, "the file is empty; expected a header line and data rows")
    return count


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


def judge(conn: duckdb.DuckDBPyConnection, detected: Detected, source_file: str) -> None:
    """Build temp table `_judged`: typed columns, `_line_number`, `_raw_line`, `_reason`."""
    fmt = detected.format
    delim = sql_string(fmt.delimiter)
    field_pattern = sql_string(_field_pattern(fmt.delimiter))
    conn.execute(
        f"""
        create or replace temp view _fields as
        select
            line_number,
            line,
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
    typed = ",\n".join(
        f"try_cast({_raw(detected, c)} as {c.type}) as {ident(c.name)}" for c in detected.columns
    )
    row_reasons = (
        ", ".join(reason for c in detected.columns for reason in _column_reasons(detected, c)) or "null"
    )
    check_reasons = (
        ", ".join(f"case when {check.bad_when} then {check.reason} end" for check in fmt.checks) or "null"
    )
    n = detected.field_count
    key = [ident(k) for k in fmt.key]
    duplicate_reason = "null"
    ranked = "null as _rank, null as _first_line"
    if key:
        window = f"partition by (_reason is null), {', '.join(key)} order by _line_number"
        ranked = (
            f"case when _reason is null then row_number() over ({window}) end as _rank, "
            f"case when _reason is null then min(_line_number) over ({window}) end as _first_line"
        )
        key_text = " || ', ' || ".join(f"coalesce(cast({k} as varchar), '')" for k in key)
        duplicate_reason = (
            f"case when _rank > 1 and {' and '.join(f'{k} is not null' for k in key)} "
            f"then 'duplicate key ({', '.join(fmt.key)}) = (' || {key_text} "
            "|| '); first seen on line ' || _first_line end"
        )
    conn.execute(
        f"""
        create or replace temp table _judged as
        with typed as (
            select
                line_number as _line_number,
                line as _raw_line,
                {sql_string(source_file)} as _source_file,
                {typed},
                case
                    when is_malformed then 'malformed quoting; expected RFC 4180 quoted fields'
                    when len(fields) != {n} then 'expected {n} fields, found ' || len(fields)
                    else nullif(concat_ws('; ', {row_reasons}), '')
                end as _row_reason
            from _fields
        ),
        checked as (
            select *,
                coalesce(_row_reason, nullif(concat_ws('; ', {check_reasons}), '')) as _reason
            from typed
        ),
        ranked as (select *, {ranked} from checked)
        select * exclude (_row_reason, _rank, _first_line, _reason),
            coalesce(_reason, {duplicate_reason}) as _reason
        from ranked
        """
    )


def _field_pattern(delimiter: str) -> str:
    """One field after its delimiter: quoted (with "" escapes) or unquoted."""
    d = re.escape(delimiter)
    return f'{d}("(?:[^"]|"")*"|[^{d}"]*)'


def _raw(detected: Detected, column: Column) -> str:
    """The field's text, trimmed, NULL when empty."""
    return f"nullif(trim(fields[{detected.positions[column.name]}]), '')"


def _column_reasons(detected: Detected, column: Column) -> list[str]:
    raw = _raw(detected, column)
    name = column.name.replace("'", "''")
    reasons = []
    if column.type != "VARCHAR":
        reasons.append(
            f"case when {raw} is not null and try_cast({raw} as {column.type}) is null "
            f"then 'column {name}: expected {column.type}, found ''' || {raw} || '''' end"
        )
    if column.required:
        reasons.append(f"case when {raw} is null then 'column {name}: a value is required' end")
    return reasons
