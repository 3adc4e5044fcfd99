"""Serving: after the marts build and pass their tests, publish them for readers."""

import dagster as dg

from .. import serving, settings
from ..warehouse import markdown_table
from . import OWNER
from .dbt import MANIFEST, trade_facts_yearly, tradebloc_dbt
from .partitions import tagged_years

PUBLISHED = dg.AssetKey(["serving", "published_marts"])
MART_KEYS = [
    key for assets in (tradebloc_dbt, trade_facts_yearly) for key in assets.keys if key.path[0] == "marts"
]
# The marts dbt builds incremental by year: a run for some years changes only theirs.
BY_YEAR = frozenset(
    node["name"]
    for node in MANIFEST["nodes"].values()
    if node["resource_type"] == "model"
    and node["schema"] == "marts"
    and node["config"]["materialized"] == "incremental"
)


@dg.asset(
    key=PUBLISHED,
    group_name="serving",
    kinds={"duckdb", "parquet"},
    owners=[OWNER],
    deps=MART_KEYS,
    pool="duckdb",
    description=(
        "The marts published atomically to warehouse/serving/tradebloc.duckdb (read-only) and to "
        "Parquet under warehouse/serving/parquet/, for SQL users and BI tools. Runs only after "
        "the dbt build, so a build whose tests fail does not publish. A run for some years "
        "replaces only those years' rows of the marts built by year."
    ),
)
def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    config = settings.load()
    years = tagged_years(context.run.tags)
    if years and not _only_these_years_changed(context, years):
        years = None
    result = serving.publish(config.warehouse, config.serving_dir, years, BY_YEAR)
    tables = [(name, f"{rows:,}") for name, rows in result.tables.items()]
    return dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(result.database)),
            "parquet": dg.MetadataValue.path(str(result.parquet_dir)),
            "years copied": ", ".join(map(str, result.years)) if result.years else "all",
            "tables": dg.MetadataValue.md(markdown_table(["table", "rows"], tables)),
        }
    )


def _only_these_years_changed(context: dg.AssetExecutionContext, years: list[int]) -> bool:
    """Whether every mart materialised since the last publish was this run's, or one
    of `years`' partitions: else the published copy misses other changes (a build
    whose tests failed, say) and must be copied whole."""
    last = context.instance.get_latest_materialization_event(PUBLISHED)
    if last is None:
        return False
    partitions = {str(year) for year in years}
    for key in MART_KEYS:
        since = dg.AssetRecordsFilter(asset_key=key, after_timestamp=last.timestamp)
        for record in context.instance.fetch_materializations(since, limit=1000).records:
            if record.run_id != context.run_id and record.partition_key not in partitions:
                return False
    return True
