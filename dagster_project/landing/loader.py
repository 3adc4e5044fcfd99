"""Land every file of one source kind: the ledger, the quarantine, the transactions.

The rules (DESIGN.md, "Hard rules"):
- a file is identified by its content hash: an unchanged file is skipped, the same
  content under another name is recorded as a duplicate and not loaded twice;
- a changed file has exactly its rows replaced, in one transaction, so a crash or
  a failure mid-load leaves the previous state;
- every data row is either loaded or quarantined with its line and reason, and
  the ledger records rows read = rows loaded + rows quarantined for the file;
- a file that cannot be read at all is recorded as failed; the other files land.
- a file that disappears from the folder keeps its rows (nothing is lost by
  tidying a downloads folder) and is recorded as missing; landing with
  `prune_missing` removes its rows instead. A file whose content is landed
  under another name (it was renamed) has its rows removed: they are held there.

Zip archives land as downloaded (BACI's yearly files, WDI's data and metadata).
Each CSV or text member is a file of its own, named in the ledger and the tables
by the archive's path and the member's name: `baci/BACI_HS17_V202501.zip/
BACI_HS17_Y2017_V202501.csv`. A member is copied to a temporary file, hashed as it
is copied, then parsed; when every member landed, the archive itself is recorded
as `unpacked` (format `zip`, no rows of its own) with its hash, so that an unchanged archive is
skipped without being unpacked and the raw-folder sensor sees it as held.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from . import reference
from .delimited import Detected, Text, detect, drop_temporaries, file_sha256, first_lines, judge, parse, scan
from .errors import LandingError, WarehouseWriteError
from .formats import RawTable, SourceKind, ident, sql_string
from .years import archive_members, file_years

LEDGER = "raw._landing_ledger"
QUARANTINE = "raw._quarantine"
_LEDGER_COLUMNS = """
    event_id BIGINT PRIMARY KEY, path VARCHAR NOT NULL, source VARCHAR NOT NULL,
    size_bytes BIGINT, sha256 VARCHAR, format VARCHAR, raw_table VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT,
    status VARCHAR NOT NULL, message VARCHAR, landed_at TIMESTAMP NOT NULL
"""
_QUARANTINE_COLUMNS = """
    source_file VARCHAR NOT NULL, line_number BIGINT NOT NULL, raw_line VARCHAR, reason VARCHAR NOT NULL,
    format VARCHAR, raw_table VARCHAR, quarantined_at TIMESTAMP NOT NULL
"""
# Statuses that say what the warehouse holds for a path (a failed attempt does not
# change that: the previous rows stay).
_STATE_STATUSES = ("landed", "duplicate", "missing", "removed", "unpacked")


@dataclass
class FileResult:
    path: str
    status: str  # landed | unchanged | duplicate | failed | missing | removed | unpacked (a zip)
    format: str | None = None
    raw_table: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str = ""


@dataclass
class SourceReport:
    source: str
    files: list[FileResult] = field(default_factory=list)

    def with_status(self, *statuses: str) -> list[FileResult]:
        return [f for f in self.files if f.status in statuses]

    @property
    def failures(self) -> list[FileResult]:
        return self.with_status("failed")


def ensure_schema(conn: duckdb.DuckDBPyConnection, kind: SourceKind) -> None:
    """Create the ledger, the quarantine and the kind's raw tables if missing, so
    that dbt finds every source table even before a file of that kind arrives."""
    conn.execute("create schema if not exists raw")
    conn.execute(f"create table if not exists {LEDGER} ({_LEDGER_COLUMNS})")
    conn.execute(f"create table if not exists {QUARANTINE} ({_QUARANTINE_COLUMNS})")
    if not _table_exists(conn, reference.TABLE):
        reference.refresh(conn)
    for table in kind.tables:
        conn.execute(f"create table if not exists raw.{table.name} ({_table_ddl(table)})")


def _table_ddl(table: RawTable) -> str:
    columns = [f"{ident(c.name)} {c.type}" for c in table.columns]
    return ", ".join([*columns, "_source_file VARCHAR NOT NULL", "_line_number BIGINT NOT NULL"])


def _table_exists(conn: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    query = "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?"
    return bool(conn.execute(query, qualified.split(".")).fetchone()[0])


def source_files(raw_dir: Path, kind: SourceKind) -> list[Path]:
    """Every file under raw/<kind>/, in a stable order; hidden files are not data."""
    folder = raw_dir / kind.name
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def land_source(
    conn: duckdb.DuckDBPyConnection,
    kind: SourceKind,
    raw_dir: Path,
    prune_missing: bool = False,
    years: Collection[int] | None = None,
) -> SourceReport:
    """Land the kind's files; with `years` (a yearly partition), only the files whose
    names hold one of those years or state no year (landing/years.py)."""
    ensure_schema(conn, kind)
    report = SourceReport(kind.name)
    state = current_state(conn, kind)
    if years is not None:
        state = {rel: held for rel, held in state.items() if _holds_any(Path(rel), years)}
    files = [p for p in source_files(raw_dir, kind) if years is None or _holds_any(p, years)]
    present = {_relative(p, raw_dir) for p in files}
    for path in files:
        if path.suffix.lower() == ".zip":
            present |= {f"{_relative(path, raw_dir)}/{m}" for m in archive_members(path)}
    # Landed files first (a replaced one may release content that a new file holds),
    # files recorded as duplicates last: whether their twin still holds their content
    # is known once the others are landed (`state` follows each landing).
    order = {"landed": 0, "duplicate": 2}
    files.sort(key=lambda p: order.get(state.get(_relative(p, raw_dir), (None, None))[1], 1))
    for path in files:
        rel = _relative(path, raw_dir)
        if path.suffix.lower() == ".zip":
            report.files += _land_archive(conn, kind, rel, path, state, present, years)
        else:
            report.files.append(_land_file(conn, kind, rel, path, state, present))
    for rel, (sha, status) in sorted(state.items()):
        if rel in present or status == "removed":
            continue
        report.files.append(_handle_missing(conn, kind, rel, sha, status, prune_missing, state, present))
    return report


def ledger_discrepancies(conn: duckdb.DuckDBPyConnection, kind: SourceKind, table: RawTable) -> list[tuple]:
    """Where raw.<table> and the quarantine disagree with what the ledger says they
    hold: per file, (path, ledger rows read, loaded, quarantined, source lines in the
    table, rows in the quarantine). Empty when everything reconciles. A wide format
    (WDI) turns a line into one row per year with a value, so its lines are counted,
    and a line with no value holds no row."""
    wide = [f.name for f in kind.formats if f.table == table and f.year_column_type]
    # A line is one row unless the table takes a wide format: counting rows then
    # costs a fraction of counting distinct lines over every year held.
    lines = "count(distinct _line_number)" if wide else "count(*)"
    return conn.execute(
        f"""
        with latest as (
            select path, status from {LEDGER}
            where status in {_STATE_STATUSES}
            qualify row_number() over (partition by path order by event_id desc) = 1
        ),
        last_landed as (
            select path, format, raw_table, rows_read, rows_loaded, rows_quarantined from {LEDGER}
            where status = 'landed'
            qualify row_number() over (partition by path order by event_id desc) = 1
        ),
        -- a missing file keeps the rows of its last landing
        held as (
            select last_landed.* from latest join last_landed using (path)
            where latest.status in ('landed', 'missing') and raw_table = ?
        ),
        in_table as (
            select _source_file as path, {lines} as n from raw.{table.name} group by all
        ),
        in_quarantine as (
            select source_file as path, count(*) as n from {QUARANTINE} where raw_table = ? group by all
        )
        select
            path,
            held.rows_read,
            held.rows_loaded,
            held.rows_quarantined,
            coalesce(in_table.n, 0) as lines_in_table,
            coalesce(in_quarantine.n, 0) as rows_in_quarantine,
        from held
        full join in_table using (path)
        full join in_quarantine using (path)
        where held.path is null
            or held.rows_read != held.rows_loaded + held.rows_quarantined
            or (held.rows_loaded != coalesce(in_table.n, 0) and not list_contains(?, held.format))
            or held.rows_loaded < coalesce(in_table.n, 0)
            or held.rows_quarantined != coalesce(in_quarantine.n, 0)
        order by path
        """,
        [table.name, table.name, wide],
    ).fetchall()


def _holds_any(path: Path, years: Collection[int]) -> bool:
    held = file_years(path)
    return held is None or not held.isdisjoint(years)


def _relative(path: Path, raw_dir: Path) -> str:
    return path.relative_to(raw_dir).as_posix()


def current_state(conn: duckdb.DuckDBPyConnection, kind: SourceKind) -> dict[str, tuple[str, str]]:
    """path -> (sha256, status) of the latest event that changed what is held."""
    rows = conn.execute(
        f"""
        select path, sha256, status from {LEDGER}
        where source = ? and status in {_STATE_STATUSES}
        qualify row_number() over (partition by path order by event_id desc) = 1
        """,
        [kind.name],
    ).fetchall()
    return {path: (sha, status) for path, sha, status in rows}


def _landed_twin(rel, sha, state, present) -> str | None:
    """Another file in the folder whose landed rows are this content."""
    twins = [other for other, held in sorted(state.items()) if held == (sha, "landed") and other in present]
    return next((other for other in twins if other != rel), None)


def _land_archive(conn, kind, rel, path, state, present, years) -> list[FileResult]:
    """Land each data member of a zip archive; record the archive when all landed."""
    size, sha = path.stat().st_size, file_sha256(path)
    if state.get(rel) == (sha, "unpacked"):
        return [FileResult(rel, "unchanged", message="archive unchanged since it was landed")]
    results, members = [], archive_members(path)
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory(prefix="tradebloc-") as folder:
            if not members:
                held = ", ".join(archive.namelist()[:5]) or "nothing"
                raise LandingError(rel, f"no CSV or text file in the archive (it holds {held}); expected one")
            for member in members:
                if years is not None and not _holds_any(Path(member), years):
                    continue
                text, copy = Text(), Path(folder) / Path(member).name
                with archive.open(member) as source, copy.open("wb") as target:
                    while chunk := source.read(1 << 22):  # hashed as it is copied
                        text.feed(chunk)
                        target.write(chunk)
                results.append(_land_file(conn, kind, f"{rel}/{member}", copy, state, present, text.done()))
                copy.unlink()
    except (zipfile.BadZipFile, zlib.error, EOFError, LandingError) as error:
        if not isinstance(error, LandingError):
            error = LandingError(rel, f"not a readable zip archive ({error}); expected a complete .zip file")
        return [*results, _failed(conn, kind, rel, size, sha, error)]
    if len(results) < len(members) or any(r.status == "failed" for r in results):
        return results  # not all landed (a yearly partition, a failure): not recorded as unpacked
    result = FileResult(rel, "unpacked", "zip", message=f"archive of {', '.join(members)}")
    with _writing(conn, rel), _transaction(conn):
        _record(conn, kind, rel, size, sha, result)
    state[rel] = (sha, "unpacked")
    return [*results, result]


def _land_file(conn, kind, rel, path, state, present, text: Text | None = None) -> FileResult:
    """Land one file (`text`: its hash pass, done already for an archive member);
    `state` is updated to what the warehouse then holds for it."""
    before = path.stat()
    try:
        text = text or scan(path, rel)
    except LandingError as error:
        return _failed(conn, kind, rel, before.st_size, None, error)
    sha = text.sha256
    previous = state.get(rel)
    twin = _landed_twin(rel, sha, state, present)
    # A duplicate is unchanged only while its twin still holds the content.
    if previous and previous[0] == sha and (previous[1] == "landed" or (previous[1] == "duplicate" and twin)):
        return FileResult(rel, "unchanged", message="content unchanged since it was landed")
    if twin:
        result = FileResult(rel, "duplicate", message=f"same content as {twin}; not loaded twice")
        with _transaction(conn):
            _delete_rows(conn, kind, rel)
            _record(conn, kind, rel, before.st_size, sha, result)
        state[rel] = (sha, "duplicate")
        return result
    try:
        detected = detect(first_lines(path, max(f.header_line for f in kind.formats), rel), kind, rel)
        empty = parse(conn, path, detected, text, rel)
        if _stamp(path.stat()) != _stamp(before):
            # What was parsed must be the content hashed, or nothing of it lands. (The
            # change time moves on any write, even one that restores size and mtime.)
            raise LandingError(rel, "the file changed while it was being read; land it again")
        fmt = detected.format
        judge(conn, fmt)
        result = FileResult(rel, "landed", fmt.name, fmt.table.name)
        with _writing(conn, rel), _transaction(conn):
            _delete_rows(conn, kind, rel)
            refused = (
                "anti join _refused using (_line_number)" if conn.execute("from _refused").fetchone() else ""
            )
            conn.execute(
                "create or replace temp view good as select * exclude (_row_reason), "
                f"{sql_string(rel)} as _source_file from _typed {refused}"
            )
            conn.execute(f"insert into raw.{fmt.table.name} by name {_projection(detected)}")
            conn.execute(
                f"insert into {QUARANTINE} select ?, _line_number, _raw_line, _reason, ?, ?, ? from _refused",
                [rel, fmt.name, fmt.table.name, _now()],
            )
            result.rows_read, result.rows_quarantined = conn.execute(
                "select (select count(*) from _records) + (select count(*) from _rejected), "
                "(select count(*) from _refused)"
            ).fetchone()
            result.rows_loaded = result.rows_read - result.rows_quarantined
            notes = (
                [f"ignored columns: {', '.join(detected.ignored_columns)}"]
                if detected.ignored_columns
                else []
            )
            notes += [f"{empty} empty line(s) skipped"] if empty else []
            result.message = "; ".join(notes)
            _record(conn, kind, rel, before.st_size, sha, result)
        state[rel] = (sha, "landed")
        return result
    except (LandingError, duckdb.Error) as error:
        return _failed(conn, kind, rel, before.st_size, sha, error)
    finally:
        conn.execute("drop view if exists good")
        drop_temporaries(conn)


def _stamp(stat) -> tuple[int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _failed(conn, kind, rel, size, sha, error) -> FileResult:
    message = str(error) if isinstance(error, LandingError) else f"{rel}: {error}"
    result = FileResult(rel, "failed", message=message)
    with _writing(conn, rel), _transaction(conn):
        _record(conn, kind, rel, size, sha, result)
    return result


def _projection(detected: Detected) -> str:
    """SQL selecting the raw table's rows from the accepted rows (view `good`)."""
    fmt = detected.format
    if fmt.project:
        return fmt.project([c.name for c in detected.columns if c not in fmt.columns])
    columns = ", ".join(ident(c.name) for c in fmt.table.columns)
    return f"select {columns}, _source_file, _line_number from good"


def _handle_missing(conn, kind, rel, sha, status, prune_missing, state, present) -> FileResult:
    """A file gone from the folder. The ledger event keeps the hash of the content held."""
    renamed = _landed_twin(rel, sha, state, present) if sha and status in ("landed", "missing") else None
    if renamed:
        result = FileResult(
            rel, "removed", message=f"file gone from the raw folder; its content is landed as {renamed}"
        )
    elif prune_missing:
        result = FileResult(rel, "removed", message="file gone from the raw folder; rows removed")
    elif status == "missing":
        return FileResult(rel, "missing", message="file gone from the raw folder; rows kept")
    else:
        result = FileResult(
            rel,
            "missing",
            message="file gone from the raw folder; rows kept (prune_missing removes them)",
        )
    with _transaction(conn):
        if result.status == "removed":
            _delete_rows(conn, kind, rel)
        _record(conn, kind, rel, None, sha, result)
    return result


def _delete_rows(conn, kind: SourceKind, rel: str) -> None:
    for table in kind.tables:
        conn.execute(f"delete from raw.{table.name} where _source_file = ?", [rel])
    conn.execute(f"delete from {QUARANTINE} where source_file = ?", [rel])


def _record(conn, kind, rel, size, sha, result: FileResult) -> None:
    (event_id,) = conn.execute(f"select coalesce(max(event_id), 0) + 1 from {LEDGER}").fetchone()
    columns = "path, status, format, raw_table, rows_read, rows_loaded, rows_quarantined, message"
    conn.execute(
        f"insert into {LEDGER} (event_id, {columns}, source, size_bytes, sha256, landed_at) "
        f"values ({', '.join(['?'] * 13)})",
        [event_id, *astuple(result), kind.name, size, sha, _now()],
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def _writing(conn, rel: str):
    """The file is read and judged: a failure from here on is the warehouse's."""
    try:
        yield
    except duckdb.Error as error:
        (database,) = conn.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchone()
        raise WarehouseWriteError(
            f"{database}: could not write the warehouse while landing {rel} ({error}). Nothing of "
            f"{rel} was landed and what was landed before is intact; free disk space or make the "
            "warehouse writable, then land again."
        ) from error


@contextmanager
def _transaction(conn):
    """BEGIN ... COMMIT, or ROLLBACK on any error (then re-raised)."""
    conn.execute("begin transaction")
    try:
        yield
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")
