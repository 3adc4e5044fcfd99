"""Connections to the DuckDB warehouse at the path settings resolves."""

import duckdb

from . import settings


def connect(read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writer creates its folder first."""
    path = settings.load().warehouse
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def markdown_preview(conn: duckdb.DuckDBPyConnection, sql: str, limit: int = 5) -> str:
    """The first rows of a query as a Markdown table, for asset metadata."""
    rows = conn.execute(f"select * from ({sql}) limit {int(limit)}").fetchall()
    columns = [d[0] for d in conn.description]
    header = "| " + " | ".join(columns) + " |"
    rule = "| " + " | ".join("---" for _ in columns) + " |"
    rows = [
        "| " + " | ".join("" if v is None else str(v).replace("|", "\\|") for v in row) + " |" for row in rows
    ]
    return "\n".join([header, rule, *rows])
