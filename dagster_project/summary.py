"""A short text summary of the warehouse: what was landed and quarantined, where the
landed trade rows went (read from the marts that count them), and the marts."""

import duckdb

from . import settings
from .warehouse import WarehouseUnavailable, read_models


def render() -> str:
    """The summary of the warehouse the settings name (on Spark: of its landing and Spark's tables)."""
    warehouse = settings.load().warehouse
    if not warehouse.exists():
        return f"No warehouse at {warehouse} yet."
    try:
        conn = read_models()
    except WarehouseUnavailable as error:  # another build writes it now: no reason to fail this one
        return f"No summary for now: {error}\nOnce it is free: python -m dagster_project summary"
    with conn:
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
        lines += _reach(conn)
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


def _reach(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Where the landed trade rows went, per source and year (marts.mart_landing_reach),
    and how many Comtrade World totals their partners do not add up to
    (marts.mart_comtrade_coverage): read as the marts computed them."""
    (built,) = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' "
        "and table_name in ('mart_landing_reach', 'mart_comtrade_coverage')"
    ).fetchall()[0]
    if built < 2:
        return []
    lines = ["", "Landed trade rows, where they went (marts.mart_landing_reach):"]
    lines += _table(
        conn,
        """
        select source, cast(year as varchar) as year, rows_landed,
               rows_in_fct_trade_reported as in_fct_trade_reported,
               rows_into_fct_trade as into_fct_trade, rows_excluded_breakdown as breakdowns,
               rows_excluded_not_goods + rows_excluded_other_flow + rows_excluded_unresolved_country
                   as other_excluded
        from marts.mart_landing_reach order by source, year
        """,
    )
    (gaps, compared) = conn.execute(
        "select count(*) filter (where not is_partner_sum_complete), count(*) "
        "from marts.mart_comtrade_coverage"
    ).fetchall()[0]
    if gaps:
        lines += [
            "",
            f"Coverage: the partners landed do not add up to World in {gaps:,} of {compared:,} Comtrade "
            "totals (a partial download; see marts.mart_comtrade_coverage).",
        ]
    return lines


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
