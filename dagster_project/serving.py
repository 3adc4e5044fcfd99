"""Serving: publish the marts for readers, and open them safely.

DuckDB allows one writer or many readers, never both, so SQL users and BI tools
never open the warehouse the pipeline writes. After each build whose tests pass,
`publish` copies the marts into a new DuckDB file and Parquet datasets, then swaps
them in with an atomic rename: a reader sees the old copy or the new one, never a
half-written one, and a reader holding the old file open keeps reading it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .landing.formats import ident, sql_string

SERVING_FILE = "tradebloc.duckdb"
PARQUET_LINK = "parquet"
# Facts this large are written as Parquet partitioned by year.
PARTITION_ROWS = 100_000
READ_STATEMENTS = {"SELECT", "EXPLAIN"}
# What a data-quality page needs beside the marts, in schema `quality`: the landing
# ledger, the quarantine counted by file and reason (its raw lines stay in the
# warehouse), and the latest result of every check (`publish(checks=...)`).
QUALITY = {
    "landing_ledger": "select * from warehouse.raw._landing_ledger",
    "quarantine_by_reason": (
        "select raw_table, source_file, reason, count(*) as row_count, min(line_number) as first_line "
        "from warehouse.raw._quarantine group by all"
    ),
}
CHECK_COLUMNS = (
    "asset varchar, check_name varchar, status varchar, passed boolean, severity varchar, "
    "blocking boolean, failed_row_count bigint, run_id varchar, evaluated_at timestamptz"
)


@dataclass(frozen=True)
class CheckResult:
    asset: str
    check_name: str
    status: str  # succeeded, failed, execution_failed, skipped, ...
    passed: bool | None  # None where the check did not evaluate
    severity: str | None
    blocking: bool | None
    failed_row_count: int | None
    run_id: str
    evaluated_at: datetime


@dataclass(frozen=True)
class Published:
    database: Path
    parquet_dir: Path
    tables: dict[str, int]  # table -> rows


def publish(
    warehouse: Path, serving_dir: Path, checks: Sequence[CheckResult] = (), spark_dir: Path | None = None
) -> Published:
    """Copy the marts and the quality tables into a new serving file and Parquet
    datasets, then swap them in. With `spark_dir` (the Spark engine), the marts are
    Spark's tables there; the landing's quality tables are the warehouse's still."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staged_db = serving_dir / f".{SERVING_FILE}.{stamp}.tmp"
    parquet_dir = serving_dir / f"parquet-{stamp}"
    with duckdb.connect() as conn:
        conn.execute(f"attach {sql_string(str(warehouse))} as warehouse (read_only)")
        marts = "warehouse"
        if spark_dir is not None:  # views memory.marts.<mart> over Spark's Parquet files
            from .spark import attach_tables

            attach_tables(conn, spark_dir, schemas=("marts",))
            marts = "memory"
        conn.execute(f"attach {sql_string(str(staged_db))} as serving")
        conn.execute("create schema serving.marts")
        counts = {}
        for table, columns in _tables(conn, marts).items():
            source, target = f"{marts}.marts.{ident(table)}", f"serving.marts.{ident(table)}"
            conn.execute(f"create table {target} as select * from {source}")
            (counts[table],) = conn.execute(f"select count(*) from {target}").fetchone()
            by_year = counts[table] >= PARTITION_ROWS and "year" in columns
            _write_parquet(conn, target, parquet_dir / table, by_year)
        conn.execute("create schema serving.quality")
        for table, query in QUALITY.items():
            conn.execute(f"create table serving.quality.{table} as {query}")
        conn.execute(f"create table serving.quality.check_results ({CHECK_COLUMNS})")
        if checks:
            conn.executemany(
                "insert into serving.quality.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [astuple(check) for check in checks],
            )
        for table in [*QUALITY, "check_results"]:
            _write_parquet(conn, f"serving.quality.{table}", parquet_dir / table, by_year=False)
        conn.execute("detach serving")
    staged_db.chmod(0o444)
    os.replace(staged_db, serving_dir / SERVING_FILE)
    _swap_link(serving_dir, parquet_dir)
    return Published(serving_dir / SERVING_FILE, parquet_dir, counts)


def _write_parquet(conn: duckdb.DuckDBPyConnection, source: str, target: Path, by_year: bool) -> None:
    """One table's Parquet dataset: a file, or a folder per year for the large facts."""
    if by_year:
        conn.execute(f"copy {source} to {sql_string(str(target))} (format parquet, partition_by (year))")
    else:
        target.mkdir(parents=True)
        conn.execute(f"copy {source} to {sql_string(str(target / 'data.parquet'))} (format parquet)")


def _tables(conn, catalog: str) -> dict[str, list[str]]:
    """The marts' tables in `catalog` (in memory: the views over Spark's marts), with
    their columns in order."""
    kind = "VIEW" if catalog == "memory" else "BASE TABLE"
    rows = conn.execute(
        "select table_name, list(column_name order by ordinal_position) from information_schema.columns "
        "where table_catalog = ? and table_schema = 'marts' and table_name in (select table_name "
        "from information_schema.tables where table_catalog = ? and table_schema = 'marts' "
        "and table_type = ?) group by table_name order by table_name",
        [catalog, catalog, kind],
    ).fetchall()
    return dict(rows)


def _swap_link(serving_dir: Path, parquet_dir: Path) -> None:
    """Point serving/parquet at the new datasets atomically; keep the previous ones
    for readers still using them, remove older ones."""
    link = serving_dir / PARQUET_LINK
    previous = link.resolve() if link.is_symlink() else None
    staged_link = serving_dir / f".{PARQUET_LINK}.tmp"
    staged_link.unlink(missing_ok=True)
    staged_link.symlink_to(parquet_dir.name)
    os.replace(staged_link, link)
    for old in serving_dir.glob("parquet-*"):
        if old not in (parquet_dir, previous):
            shutil.rmtree(old, ignore_errors=True)


class ReadOnlyError(Exception):
    """A statement that would write, refused before it runs."""


def open_reader(serving_file: Path, allowed_outputs: tuple[Path, ...] = ()) -> duckdb.DuckDBPyConnection:
    """A connection that can only read the serving copy: attached read-only, no file
    system access (no read_csv of other files, no COPY, no ATTACH) except writing the
    given output files, and the configuration locked."""
    if not serving_file.exists():
        raise FileNotFoundError(f"{serving_file} does not exist yet: run `make run` first")
    conn = duckdb.connect()
    conn.execute(f"attach {sql_string(str(serving_file))} as tradebloc (read_only)")
    conn.execute("use tradebloc")
    if allowed_outputs:
        paths = ", ".join(sql_string(str(p)) for p in allowed_outputs)
        conn.execute(f"set allowed_paths = [{paths}]")
    conn.execute("set enable_external_access = false")
    conn.execute("set lock_configuration = true")
    return conn


def check_read_only(sql: str) -> None:
    """Refuse anything but SELECT / EXPLAIN statements, with a clear message."""
    for statement in duckdb.extract_statements(sql):
        kind = statement.type.name
        if kind not in READ_STATEMENTS:
            raise ReadOnlyError(
                f"the serving copy is read-only: {kind} statements are refused "
                f"(only {', '.join(sorted(READ_STATEMENTS))} run here)"
            )
