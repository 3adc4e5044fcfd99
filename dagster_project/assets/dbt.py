"""The dbt project as Dagster assets: every model, seed and test, run by `dbt build`.

dbt tests become asset checks on the models they test; those of severity error are
blocking (dagster-dbt's rule), so a failure stops the models downstream of it, the
serving copy included. A failed check carries a sample of its failing rows, read
from the view dbt stores them in (schema audit, see dbt_project.yml); the bloc marts
carry a chart (charts.py).

Two definitions: the yearly models (fct_trade, its intermediates and the staging of
the trade flows, tag yearly), partitioned by year, and everything else.
"""

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from .. import settings, warehouse
from ..charts import CHARTS
from ..resources import DBT_PROJECT, build_args
from . import OWNER
from .partitions import ONE_RUN_PER_RANGE, YEARLY, partition_years, tagged_years

FAILING_ROWS_SAMPLE = 10


def load_manifest() -> dict[str, Any]:
    """The dbt manifest, plus dbt's `depends_on_nodes` on each node: dagster-dbt 0.29
    evaluates a selector's indirect selection on the JSON, which lacks that property
    (a TypeError in dbt's selector otherwise)."""
    manifest = json.loads(DBT_PROJECT.manifest_path.read_text())
    for node in manifest["nodes"].values():
        node.setdefault("depends_on_nodes", node.get("depends_on", {}).get("nodes", []))
    return manifest


MANIFEST = load_manifest()
# The models partitioned by year (tag yearly in their config).
YEARLY_MODELS = "tag:yearly"


class TradeblocTranslator(DagsterDbtTranslator):
    """Asset keys mirror the warehouse: [schema, name], so the dbt sources
    (raw.<table>) are the landing assets' keys and lineage is unbroken."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The layer: staging, intermediate, marts; the seeds (reference tables) are
        inputs, beside the landed raw tables."""
        schema = dbt_resource_props["schema"]
        return "landing" if schema == "reference" else schema

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return [OWNER]


@dbt_assets(
    manifest=MANIFEST,
    project=DBT_PROJECT,
    dagster_dbt_translator=TradeblocTranslator(),
    selector="unpartitioned",  # dbt_project/selectors.yml: all but YEARLY_MODELS
    pool="duckdb",
)
def tradebloc_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Everything but the yearly models; with the run tag YEARS_TAG, the marts that are
    incremental by year recompute only those years."""
    years = tagged_years(context.run.tags)
    yield from build(context, dbt, build_args(years[0], years[-1]) if years else ["build"])


@dbt_assets(
    manifest=MANIFEST,
    project=DBT_PROJECT,
    dagster_dbt_translator=TradeblocTranslator(),
    select=YEARLY_MODELS,
    name="trade_facts_yearly",
    partitions_def=YEARLY,
    backfill_policy=ONE_RUN_PER_RANGE,
    pool="duckdb",
)
def trade_facts_yearly(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """fct_trade and its intermediates, incremental by year: a partition (or a range)
    recomputes and replaces only its years."""
    years = partition_years(context)
    yield from build(context, dbt, build_args(years.start, years.stop - 1))


def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, args: list[str]) -> Iterator:
    settings.export_for_dbt()
    # A run builds part of the project (the yearly models, or what they do not feed, or
    # what they feed): dbt runs a test only when every model it reads is built in this
    # run or upstream of it, never one that reads a model that may not exist yet.
    os.environ["DBT_INDIRECT_SELECTION"] = "buildable"
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    held = []  # completed once dbt has released the warehouse
    for event in invocation.stream():
        if _needs_the_warehouse(event):
            held.append(event)
        else:
            yield event
    if held:
        with warehouse.connect(read_only=True) as conn:
            yield from (_complete(event, conn, invocation.manifest) for event in held)
    if error := invocation.get_error():
        raise error


CHART_OUTPUTS = {key.to_python_identifier(): key for key in CHARTS}


def _needs_the_warehouse(event) -> bool:
    """A failed check (its failing rows) or a charted mart (its chart)."""
    if isinstance(event, dg.AssetCheckResult):
        return not event.passed
    return isinstance(event, dg.Output) and event.output_name in CHART_OUTPUTS


def _complete(event, conn, manifest: Mapping[str, Any]):
    if isinstance(event, dg.Output):
        chart = CHARTS[CHART_OUTPUTS[event.output_name]](conn)
        return dg.Output(None, output_name=event.output_name, metadata={**event.metadata, "chart": chart})
    node = manifest["nodes"][event.metadata["unique_id"].value]
    relation = f"{node['schema']}.{node['alias']}"
    try:
        sample = warehouse.markdown_preview(conn, f"select * from {relation}", FAILING_ROWS_SAMPLE)
    except duckdb.Error as error:  # a test that errored has no stored rows
        sample = f"(no failing rows stored: {error})"
    return event._replace(
        metadata={
            **event.metadata,
            "failing_rows_relation": relation,
            "failing_rows_sample": dg.MetadataValue.md(sample),
        }
    )
