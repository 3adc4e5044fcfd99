"""The dbt project as Dagster assets: every model, seed and test, run by `dbt build`.

dbt tests become asset checks on the models they test; those of severity error are
blocking (dagster-dbt's rule), so a failure stops the models downstream of it, the
serving copy included. A failed check carries a sample of its failing rows, read
from the view dbt stores them in (schema audit, see dbt_project.yml).
"""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from .. import settings, warehouse
from ..resources import DBT_PROJECT

FAILING_ROWS_SAMPLE = 10


class TradeblocTranslator(DagsterDbtTranslator):
    """Asset keys mirror the warehouse: [schema, name], so the dbt sources
    (raw.<table>) are the landing assets' keys and lineage is unbroken."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=TradeblocTranslator(),
    pool="duckdb",
)
def tradebloc_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    settings.export_for_dbt()
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    failed_checks = []
    for event in invocation.stream():
        if isinstance(event, dg.AssetCheckResult) and not event.passed:
            failed_checks.append(event)  # reported once dbt has released the warehouse
        else:
            yield event
    yield from with_failing_rows(failed_checks, invocation.manifest)
    if error := invocation.get_error():
        raise error


def with_failing_rows(checks: list[dg.AssetCheckResult], manifest: Mapping[str, Any]) -> Iterator:
    """The failed checks, each with the first failing rows and where to find them all."""
    if not checks:
        return
    with warehouse.connect(read_only=True) as conn:
        for check in checks:
            node = manifest["nodes"][check.metadata["unique_id"].value]
            relation = f"{node['schema']}.{node['alias']}"
            try:
                sample = warehouse.markdown_preview(conn, f"select * from {relation}", FAILING_ROWS_SAMPLE)
            except Exception as error:  # a test that errored has no stored rows
                sample = f"(no failing rows stored: {error})"
            yield check._replace(
                metadata={
                    **check.metadata,
                    "failing_rows_relation": relation,
                    "failing_rows_sample": dg.MetadataValue.md(sample),
                }
            )
