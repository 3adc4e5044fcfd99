"""Connections to the DuckDB warehouse at the path settings resolves."""

import re
import time

import duckdb

from . import settings
from .landing.formats import ident, sql_string


class WarehouseUnavailable(Exception):
    """The warehouse cannot be opened: another process holds it, or its folder or
    disk refuses the write. Nothing in it has been changed."""


# How long a writer waits, in seconds between attempts, for another process's hold on
# the warehouse to end: enough for a finishing build's summary (under a second), short
# enough that a reader left open is reported quickly. dbt's own connection waits the
# same way (profiles.yml, retries).
LOCK_WAITS = (1, 2, 4)
# DuckDB's message when another process holds the file: who, and its PID.
LOCK_HELD = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def connect(read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse with the configured memory limit and threads; a writer
    creates its folder first, and waits briefly for another process's hold to end. A
    lock still held, or an unwritable path, becomes a WarehouseUnavailable that says
    which and what to do."""
    config = settings.load()
    path = config.warehouse
    waits = iter(() if read_only else LOCK_WAITS)
    while True:
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            return duckdb.connect(str(path), read_only=read_only, config=config.duckdb_config())
        except OSError as error:
            raise WarehouseUnavailable(f"{path}: cannot create the warehouse folder: {error}") from error
        except duckdb.IOException as error:
            if LOCK_HELD.search(str(error)) and (wait := next(waits, None)):
                time.sleep(wait)
                continue
            raise WarehouseUnavailable(explain_open_error(path, error)) from error


def read_models() -> duckdb.DuckDBPyConnection:
    """A read-only view of the raw tables and what dbt built: the warehouse on the DuckDB
    engine; on the Spark engine, an in-memory DuckDB whose views read Spark's Parquet
    tables and the warehouse's raw tables (the landing's)."""
    config = settings.load()
    if config.engine == "duckdb":
        return connect(read_only=True)
    from .spark import attach_tables

    conn = duckdb.connect(config=config.duckdb_config())
    attach_tables(conn, config.spark_folder)
    conn.execute(f"attach {sql_string(str(config.warehouse))} as landing (read_only)")
    conn.execute("create schema if not exists raw")
    landed = "select table_name from information_schema.tables where table_catalog = ? and table_schema = ?"
    for (table,) in conn.execute(landed, ["landing", "raw"]).fetchall():
        conn.execute(f"create view raw.{ident(table)} as select * from landing.raw.{ident(table)}")
    return conn


def explain_open_error(path, error: Exception) -> str:
    """A DuckDB open failure in words a user can act on."""
    text = str(error)
    holder = LOCK_HELD.search(text)
    if holder:
        return (
            f"{path}: the warehouse is open in another process ({holder.group(1)}, PID {holder.group(2)}). "
            "DuckDB allows one writer and no readers beside it: wait for that build to finish, or close "
            "that connection (readers should use the serving copy, `tradebloc sql`)."
        )
    return f"{path}: cannot open the warehouse for writing: {text}"


def markdown_preview(conn: duckdb.DuckDBPyConnection, sql: str, limit: int = 5) -> str:
    """The first rows of a query as a Markdown table, for asset metadata."""
    rows = conn.execute(f"select * from ({sql}) limit {int(limit)}").fetchall()
    return markdown_table([d[0] for d in conn.description], rows)


def markdown_table(columns, rows) -> str:
    """A Markdown table for asset and check metadata: None as blank, pipes escaped."""

    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    return "\n".join(lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows])
