"""A short text summary of the warehouse: what was landed and quarantined, and the marts."""

from pathlib import Path

import duckdb


def render(warehouse: Path) -> str:
    if not warehouse.exists():
        return f"No warehouse at {warehouse} yet."
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        lines = [f"Warehouse: {warehouse}", "", "Landed files (current state per source):"]
        lines += _table(
            conn,
            """
            with latest as (
                select * from raw._landing_ledger
                where status in ('landed', 'duplicate', 'missing', 'removed', 'failed')
                qualify row_number() over (partition by path order by event_id desc) = 1
            )
            select source, count(*) filter (where status = 'landed') as files_landed,
                   count(*) filter (where status = 'failed') as files_failed,
                   count(*) filter (where status in ('duplicate', 'missing')) as files_other,
                   coalesce(sum(rows_loaded) filter (where status = 'landed'), 0) as rows_loaded,
                   coalesce(sum(rows_quarantined) filter (where status = 'landed'), 0)
                       as rows_quarantined
            from latest group by source order by source
            """,
        )
        lines += ["", "Marts (rows):"]
        for schema in ("marts",):
            names = [
                name
                for (name,) in conn.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = ? order by table_name",
                    [schema],
                ).fetchall()
            ]
            for name in names:
                (count,) = conn.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
                lines.append(f"  {schema}.{name:<40} {count:>12,}")
    return "\n".join(lines)


def _table(conn: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    relation = conn.sql(sql)
    rows = relation.fetchall()
    widths = [
        max(len(str(c)), *(len(f"{r[i]:,}" if isinstance(r[i], int) else str(r[i])) for r in rows))
        if rows
        else len(str(c))
        for i, c in enumerate(relation.columns)
    ]

    def fmt(values):
        return "  " + "  ".join(
            (f"{v:,}" if isinstance(v, int) else str(v)).rjust(w) for v, w in zip(values, widths, strict=True)
        )

    return [fmt(relation.columns), *(fmt(r) for r in rows)]
