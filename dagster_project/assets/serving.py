"""Serving: after the marts build and pass their tests, publish them for readers."""

import dagster as dg

from .. import serving, settings
from . import OWNER
from .dbt import trade_facts_yearly, tradebloc_dbt

MART_KEYS = [
    key for assets in (tradebloc_dbt, trade_facts_yearly) for key in assets.keys if key.path[0] == "marts"
]


@dg.asset(
    key=["serving", "published_marts"],
    group_name="serving",
    kinds={"duckdb", "parquet"},
    owners=[OWNER],
    deps=MART_KEYS,
    pool="duckdb",
    description=(
        "The marts published atomically to warehouse/serving/tradebloc.duckdb (read-only) and to "
        "Parquet under warehouse/serving/parquet/, for SQL users and BI tools. Runs only after "
        "the dbt build, so a build whose tests fail does not publish."
    ),
)
def published_marts() -> dg.MaterializeResult:
    config = settings.load()
    result = serving.publish(config.warehouse, config.serving_dir)
    return dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(result.database)),
            "parquet": dg.MetadataValue.path(str(result.parquet_dir)),
            "tables": dg.MetadataValue.md(
                "| table | rows |\n| --- | --- |\n"
                + "\n".join(f"| {name} | {rows:,} |" for name, rows in result.tables.items())
            ),
        }
    )
