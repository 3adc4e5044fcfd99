"""Connections to the DuckDB warehouse at the path settings resolves."""

import re

import duckdb

from . import settings


class WarehouseUnavailable(Exception):
    """The warehouse cannot be opened: another process holds it, or its folder or
    disk refuses the write. Nothing in it has been changed."""


def connect(read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse with the configured memory limit and threads; a writer
    creates its folder first. A lock held by another process or an unwritable
    path becomes a WarehouseUnavailable that says which and what to do."""
    config = settings.load()
    path = config.warehouse
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only, config=config.duckdb_config())
    except OSError as error:
        raise WarehouseUnavailable(f"{path}: cannot create the warehouse folder: {error}") from error
    except duckdb.IOException as error:
        raise WarehouseUnavailable(explain_open_error(path, error)) from error


def explain_open_error(path, error: Exception) -> str:
    """A DuckDB open failure in words a user can act on."""
    text = str(error)
    holder = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", text)
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
