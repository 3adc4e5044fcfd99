"""The one place that reads tradebloc's environment and resolves its paths.

Paths are resolved to absolute ones here, once, so that Python and dbt (which
would otherwise resolve a relative DuckDB path from the dbt project directory)
always agree on which warehouse they write.
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

RAW_DIR_VAR = "TRADEBLOC_RAW_DIR"
WAREHOUSE_VAR = "TRADEBLOC_WAREHOUSE"
MEMORY_LIMIT_VAR = "TRADEBLOC_DUCKDB_MEMORY_LIMIT"
THREADS_VAR = "TRADEBLOC_DUCKDB_THREADS"
SENSOR_INTERVAL_VAR = "TRADEBLOC_SENSOR_INTERVAL"
SPARK_DIR_VAR = "TRADEBLOC_SPARK_DIR"
ENGINE_VAR = "TRADEBLOC_ENGINE"
# The years a dbt run builds, which Dagster sets for a yearly partition (macro run_year).
YEAR_FROM_VAR, YEAR_TO_VAR = "TRADEBLOC_YEAR_FROM", "TRADEBLOC_YEAR_TO"
# duckdb: dbt builds the warehouse file; spark: DuckDB lands the raw files, dbt builds on
# Spark from their Parquet export (dagster_project/spark.py, docs/scaling.md)
ENGINES = ("duckdb", "spark")
# DuckDB's own default is 80% of RAM; a bound leaves room for Dagster, dbt and the
# readers, and DuckDB spills to disk beyond it instead of failing.
DEFAULT_MEMORY_LIMIT = "5GB"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    threads: int = os.cpu_count() or 1
    spark_dir: Path | None = None  # None: spark/ beside the warehouse
    engine: str = "duckdb"

    def duckdb_config(self) -> dict[str, str | int | bool]:
        """The DuckDB settings of every connection that builds the warehouse (Python and dbt).
        Rows keep no insertion order (every reader orders explicitly), which lets DuckDB
        spill large aggregations to disk instead of running out of memory."""
        return {"memory_limit": self.memory_limit, "threads": self.threads, "preserve_insertion_order": False}

    @property
    def serving_dir(self) -> Path:
        """Where the published read-only copy and Parquet datasets live, beside the warehouse."""
        return self.warehouse.parent / "serving"

    @property
    def spark_folder(self) -> Path:
        """Where the Spark target keeps the landed Parquet, its tables and its catalog."""
        return self.spark_dir or self.warehouse.parent / "spark"

    def dbt_env(self) -> dict[str, str]:
        """The variables dbt's profiles.yml reads: absolute paths and the DuckDB settings."""
        return {
            RAW_DIR_VAR: str(self.raw_dir),
            WAREHOUSE_VAR: str(self.warehouse),
            MEMORY_LIMIT_VAR: self.memory_limit,
            THREADS_VAR: str(self.threads),
            SPARK_DIR_VAR: str(self.spark_folder),
        }


def load() -> Settings:
    """Read the environment now (not at import), so tests can point it elsewhere."""
    raw_dir = Path(os.environ.get(RAW_DIR_VAR) or REPO_ROOT / "raw")
    warehouse = Path(os.environ.get(WAREHOUSE_VAR) or REPO_ROOT / "warehouse" / "tradebloc.duckdb")
    engine = os.environ.get(ENGINE_VAR) or "duckdb"
    if engine not in ENGINES:
        raise ValueError(f"{ENGINE_VAR}={engine!r}: expected one of {', '.join(ENGINES)}")
    return Settings(
        engine=engine,
        raw_dir=raw_dir.expanduser().resolve(),
        warehouse=warehouse.expanduser().resolve(),
        memory_limit=os.environ.get(MEMORY_LIMIT_VAR) or DEFAULT_MEMORY_LIMIT,
        threads=int(os.environ.get(THREADS_VAR) or os.cpu_count() or 1),
        spark_dir=Path(spark).expanduser().resolve() if (spark := os.environ.get(SPARK_DIR_VAR)) else None,
    )


def sensor_interval_seconds() -> int:
    """How often the daemon's sensors look (automation.py): every 30 s unless set. Read
    when the definitions load, in the process that runs the daemon."""
    return int(os.environ.get(SENSOR_INTERVAL_VAR) or 30)


def export_for_dbt() -> Settings:
    """Resolve the settings and put the absolute paths where dbt subprocesses see them."""
    settings = load()
    os.environ.update(settings.dbt_env())
    return settings
