"""Serving: after the marts build and pass their blocking checks, publish them for readers."""

from datetime import UTC, datetime

import dagster as dg

from .. import serving, settings
from ..warehouse import markdown_table
from . import OWNER
from .dbt import AUTOMATION

PUBLISHED = dg.AssetKey(["serving", "published_marts"])
# Not while a mart it reads is about to be rebuilt: the marts run in a run of their own
# (another partitioning), which Dagster does not order before this one, so it would
# publish before them and again after them. (will_be_requested sees only the assets
# of its own run.)
PUBLISH_AFTER_THE_MARTS = (AUTOMATION & ~dg.AutomationCondition.any_deps_match(AUTOMATION)).with_label(
    "eager, every year, once no mart it reads is due"
)


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
        automation_condition=PUBLISH_AFTER_THE_MARTS,
        description=(
            "The marts published atomically to warehouse/serving/tradebloc.duckdb (read-only) and to "
            "Parquet under warehouse/serving/parquet/, for SQL users and BI tools. Runs only after "
            "the dbt build, so a build whose blocking checks fail does not publish."
        ),
    )
    def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        config = settings.load()
        spark_dir = config.spark_folder if config.engine == "spark" else None
        result = serving.publish(config.warehouse, config.serving_dir, latest_checks(context), spark_dir)
        tables = [(name, f"{rows:,}") for name, rows in result.tables.items()]
        return dg.MaterializeResult(
            metadata={
                "database": dg.MetadataValue.path(str(result.database)),
                "parquet": dg.MetadataValue.path(str(result.parquet_dir)),
                "tables": dg.MetadataValue.md(markdown_table(["table", "rows"], tables)),
            }
        )

    return published_marts


def latest_checks(context: dg.AssetExecutionContext) -> list[serving.CheckResult]:
    """The latest execution of every asset check, for the data-quality page: this run's
    for the assets it built, an earlier run's for the others."""
    keys = list(context.job_def.asset_layer.asset_graph.asset_check_keys)
    records = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    results = []
    for key, record in sorted(records.items(), key=lambda item: item[0].to_user_string()):
        evaluation = record.evaluation
        failed_rows = evaluation.metadata.get("dagster_dbt/failed_row_count") if evaluation else None
        results.append(
            serving.CheckResult(
                asset=key.asset_key.to_user_string(),
                check_name=key.name,
                status=record.status.value.lower(),
                passed=evaluation.passed if evaluation else None,
                severity=evaluation.severity.value.lower() if evaluation else None,
                blocking=evaluation.blocking if evaluation else None,
                failed_row_count=failed_rows.value if failed_rows else None,
                run_id=record.run_id,
                evaluated_at=datetime.fromtimestamp(record.create_timestamp, UTC),
            )
        )
    return results
