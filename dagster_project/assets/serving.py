"""Serving: after the marts build and pass their blocking checks, publish them for readers."""

import dagster as dg

from .. import serving, settings
from ..warehouse import markdown_table
from . import OWNER
from .dbt import AUTOMATION

PUBLISHED = dg.AssetKey(["serving", "published_marts"])


def published_marts_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The serving copy, downstream of every mart: a blocking check that fails on any
    of them (or on what they read) stops the publish."""

    @dg.asset(
        key=PUBLISHED,
        group_name="serving",
        kinds={"duckdb", "parquet"},
        owners=[OWNER],
        deps=mart_keys,
        pool="duckdb",
        automation_condition=AUTOMATION,
        description=(
            "The marts published atomically to warehouse/serving/tradebloc.duckdb (read-only) and to "
            "Parquet under warehouse/serving/parquet/, for SQL users and BI tools. Runs only after "
            "the dbt build, so a build whose blocking checks fail does not publish."
        ),
    )
    def published_marts() -> dg.MaterializeResult:
        config = settings.load()
        result = serving.publish(config.warehouse, config.serving_dir)
        tables = [(name, f"{rows:,}") for name, rows in result.tables.items()]
        return dg.MaterializeResult(
            metadata={
                "database": dg.MetadataValue.path(str(result.database)),
                "parquet": dg.MetadataValue.path(str(result.parquet_dir)),
                "tables": dg.MetadataValue.md(markdown_table(["table", "rows"], tables)),
            }
        )

    return published_marts
