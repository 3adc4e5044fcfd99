"""The Spark engine (TRADEBLOC_ENGINE=spark) and `make spark`'s comparison with DuckDB.

DuckDB lands the raw files on either engine (its CSV reader, reject tables, quarantine
and ledger: one landing); on Spark, `export_landed` writes each landed table to Parquet,
which dbt's spark target reads as external tables (macro register_landed_sources). dbt
builds every model and test there; DuckDB reads Spark's tables from their Parquet files
(`attach_tables`) for the assets' metadata and the serving copy, and `compare_all`
checks each Spark mart against the DuckDB mart of the same raw files.
"""

import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .landing.formats import ident, sql_string

RAW_SCHEMA = "raw"
MARTS_SCHEMA = "marts"
# numbers may differ by float rounding only: Spark and DuckDB add in different orders
RELATIVE_TOLERANCE = 1e-9
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def export_landed(
    conn: duckdb.DuckDBPyConnection, landed_dir: Path, tables: list[str] | None = None
) -> list[str]:
    """Write the raw tables (the landed rows, the quarantine and the ledger), or those
    named, to `landed_dir/<table>/part-0.parquet`, replacing what an earlier export wrote."""
    if tables is None:
        tables = [
            name
            for (name,) in conn.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1",
                [RAW_SCHEMA],
            ).fetchall()
        ]
    for table in tables:
        folder = landed_dir / table
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        target = sql_string(str(folder / "part-0.parquet"))
        conn.execute(f"copy {RAW_SCHEMA}.{table} to {target} (format parquet)")
    return tables


def spark_table_dir(spark_dir: Path, schema: str, table: str) -> Path:
    """Where Spark's session catalog keeps a table's Parquet files (spark.sql.warehouse.dir)."""
    return spark_dir / "tables" / f"{schema}.db" / table


def parquet_scan(folder: Path, types: dict[str, str] | None = None) -> str:
    """A query of a Spark table's Parquet files. A partition column lives in the folder
    names (year=2023/), not in the files: `types` gives its type (DuckDB guesses otherwise)."""
    partitions = {part.name.split("=")[0] for part in folder.iterdir() if "=" in part.name}
    typed = ", ".join(f"{sql_string(c)}: {sql_string(types[c])}" for c in partitions if types and c in types)
    options = (
        f"hive_partitioning = true, hive_types = {{{typed}}}"
        if typed
        else f"hive_partitioning = {bool(partitions)}"
    )
    files = sql_string(str(folder / "**" / "*.parquet"))
    return f"select * from read_parquet({files}, {options}, union_by_name = true)"


def attach_tables(
    conn: duckdb.DuckDBPyConnection, spark_dir: Path, schemas: tuple[str, ...] | None = None
) -> None:
    """Views `<schema>.<table>` in `conn` over every table Spark built (or those of
    `schemas`): what a DuckDB reader of the warehouse reads, read from Spark's files."""
    for folder in sorted((spark_dir / "tables").glob("*.db/*")):
        schema = folder.parent.name.removesuffix(".db")
        if (schemas is None or schema in schemas) and any(folder.rglob("*.parquet")):
            conn.execute(f"create schema if not exists {ident(schema)}")
            conn.execute(
                f"create or replace view {ident(schema)}.{ident(folder.name)} as {parquet_scan(folder)}"
            )


@dataclass(frozen=True)
class MartComparison:
    mart: str
    duckdb_rows: int
    spark_rows: int
    unmatched_rows: int  # rows of either side with no equal row (keys and exact columns) on the other
    numeric_differences: int  # matched rows whose float columns differ beyond the tolerance
    max_relative_difference: float
    column_differences: str  # columns missing on one side, or of another type

    @property
    def equal(self) -> bool:
        return (
            self.duckdb_rows == self.spark_rows
            and not self.unmatched_rows
            and not self.numeric_differences
            and not self.column_differences
        )


def compare_mart(conn: duckdb.DuckDBPyConnection, mart: str, spark_files: Path) -> MartComparison:
    """Compare marts.<mart> in the DuckDB warehouse with the Spark mart's Parquet files.
    Rows pair up on every column that is not a float (keys, codes, names, integers,
    dates: these must be equal), in order of the float columns where such rows repeat;
    the float columns of paired rows must agree within RELATIVE_TOLERANCE."""
    duck_types = _column_types(conn, f"{MARTS_SCHEMA}.{mart}")
    conn.execute(f"create or replace temp view spark_mart as {parquet_scan(spark_files, duck_types)}")
    spark_types = _column_types(conn, "spark_mart")
    column_differences = "; ".join(
        f"{column}: {duck or 'missing'} in DuckDB, {spark or 'missing'} in Spark"
        for column in sorted(duck_types.keys() | spark_types.keys())
        if not _same_type(duck := duck_types.get(column), spark := spark_types.get(column))
    )
    columns = [c for c in duck_types if c in spark_types]
    floats = [c for c in columns if duck_types[c] in FLOAT_TYPES]
    exact = [c for c in columns if c not in floats]
    duckdb_rows = conn.execute(f"select count(*) from {MARTS_SCHEMA}.{mart}").fetchone()[0]
    spark_rows = conn.execute("select count(*) from spark_mart").fetchone()[0]

    def numbered(relation: str) -> str:
        order = ", ".join(f'"{c}"' for c in floats) or "1"
        partition = ", ".join(f'"{c}"' for c in exact) or "1"
        selected = ", ".join(f'"{c}"' for c in columns)
        return (
            f"select {selected}, row_number() over (partition by {partition} order by {order}) as _nth "
            f"from {relation}"
        )

    pairs = " and ".join(f'd."{c}" is not distinct from s."{c}"' for c in [*exact, "_nth"])
    relative = [f'abs(d."{c}" - s."{c}") / greatest(abs(d."{c}"), abs(s."{c}"), 1e-300)' for c in floats]
    # null on one side only, or a relative difference beyond the tolerance
    differs = (
        " or ".join(
            f'(d."{c}" is null) <> (s."{c}" is null) or coalesce({r}, 0) > {RELATIVE_TOLERANCE}'
            for c, r in zip(floats, relative, strict=True)
        )
        or "false"
    )
    largest = f"greatest({', '.join(f'coalesce({r}, 0)' for r in relative)})" if relative else "0"
    unmatched, differences, max_relative = conn.execute(
        f"""
        with d as ({numbered(f"{MARTS_SCHEMA}.{mart}")}), s as ({numbered("spark_mart")})
        select
            count(*) filter (where d._nth is null or s._nth is null),
            count(*) filter (where d._nth is not null and s._nth is not null and ({differs})),
            coalesce(max({largest}) filter (where d._nth is not null and s._nth is not null), 0)
        from d full outer join s on {pairs}
        """
    ).fetchone()
    return MartComparison(
        mart, duckdb_rows, spark_rows, unmatched, differences, float(max_relative), column_differences
    )


def _column_types(conn: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {name: kind for name, kind, *_ in conn.execute(f"describe {relation}").fetchall()}


def _same_type(duck: str | None, spark: str | None) -> bool:
    """Whether a column has the same type on both engines. Spark writes booleans,
    dates, integers and strings with the types DuckDB reads back as its own; a
    DuckDB DECIMAL or HUGEINT has no exact Spark twin, so only the family must agree."""
    if duck is None or spark is None:
        return False
    return duck == spark or (duck.startswith("DECIMAL") and spark.startswith("DECIMAL"))


def compare_all(warehouse: Path, spark_dir: Path) -> list[MartComparison]:
    """Every mart of the DuckDB warehouse against its Spark twin (a mart missing on
    Spark counts as all its rows unmatched)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        marts = [
            name
            for (name,) in conn.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by 1",
                [MARTS_SCHEMA],
            ).fetchall()
        ]
        results = []
        for mart in marts:
            files = spark_table_dir(spark_dir, MARTS_SCHEMA, mart)
            if not any(files.rglob("*.parquet")):  # an empty partitioned table has no file
                rows = conn.execute(f"select count(*) from {MARTS_SCHEMA}.{mart}").fetchone()[0]
                missing = "" if files.is_dir() else "no Spark table"
                results.append(MartComparison(mart, rows, 0, rows, 0, 0.0, missing))
                continue
            results.append(compare_mart(conn, mart, files))
        return results


def render(results: list[MartComparison]) -> str:
    """The comparison as a table, one line per mart, and a verdict."""
    header = ("mart", "DuckDB rows", "Spark rows", "unmatched", "numbers off", "max rel. diff", "verdict")
    rows = [
        (
            r.mart,
            f"{r.duckdb_rows:,}",
            f"{r.spark_rows:,}",
            f"{r.unmatched_rows:,}",
            f"{r.numeric_differences:,}",
            f"{r.max_relative_difference:.1e}" if not math.isnan(r.max_relative_difference) else "nan",
            "equal"
            if r.equal
            else "DIFFERENT" + (f" ({r.column_differences})" if r.column_differences else ""),
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    different = [r.mart for r in results if not r.equal]
    lines.append(
        f"\n{len(results) - len(different)} of {len(results)} marts equal on Spark and DuckDB"
        + (f"; different: {', '.join(different)}" if different else " (floats within a relative 1e-9).")
    )
    return "\n".join(lines)
