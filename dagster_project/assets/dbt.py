"""The dbt project as Dagster assets: every model, seed and test, run by `dbt build`.

Two sets, split by dbt's tag `yearly` (set in dbt_project.yml): the year-scoped
models (the trade chain, the metric, mirror and tariff marts), partitioned by year,
and everything else (seeds, dimensions, the other sources' staging), a small
unpartitioned set upstream of them: the dbt graph runs one way, so one run builds
the second after the first.

dbt tests become asset checks on the models they test; dbt's default (eager)
indirect selection runs a test with the set that builds any model it reads, so a
test that reads a yearly model runs in the yearly step, once every model it reads
exists. A run of part of a set leaves out the tests that read a model it does not
build and that is not built yet (see tests_reading_unbuilt_models). Those of
severity error are blocking: a failure stops what is downstream, the serving copy
included.

dbt holds the warehouse while it runs, so what needs to read it (each model's row
count, the failing rows of a failed check, the bloc marts' charts) is added to
the events once dbt has finished.
"""

import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from .. import settings, warehouse
from ..charts import CHARTS
from ..progress import summarise, tally
from ..resources import DBT_PROJECT, set_run_years, step_target
from . import OWNER
from .partitions import ONE_RUN_PER_RANGE, YEARLY, partition_years

YEARLY_MODELS = "tag:yearly"
FAILING_ROWS_SAMPLE = 10
# What a change upstream (a landed file, a rebuilt year) sets off: the assets it feeds,
# for the years it changed, once nothing they read is missing or in progress (Dagster's
# declarative automation). Eager, but for every year, not only the latest partition: a
# BACI release revises past years. A year whose landing never ran stays unrequested.
AUTOMATION = (
    dg.AutomationCondition.eager()
    .without(dg.AutomationCondition.in_latest_time_window())
    .with_label("eager, every year")
)


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

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition:
        return AUTOMATION

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project) -> dg.AssetCheckSpec | None:
        """dagster-dbt describes a check only from the test's meta; say what it asserts."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=describe_test(manifest["nodes"][unique_id]))


# What each generic test asserts, in words; kwargs are the test's arguments.
GENERIC_TESTS = {
    "not_null": "`{column_name}` is never null.",
    "unique": "`{column_name}` is unique.",
    "not_negative": "`{column_name}` is never negative.",
    "unique_combination_of_columns": "One row per ({combination_of_columns}).",
    "relationships": "Every `{column_name}` is in `{to}.{field}`.",
    "accepted_values": "`{column_name}` is one of: {values}.",
    "in_range": "`{column_name}` lies within [{min_value}, {max_value}].",
    "expression_is_true": "`{expression}` holds on every row.",
}


def describe_test(node: Mapping[str, Any]) -> str:
    """The test's own description; else, for a generic test, what it asserts and on
    which rows; for a singular test, the comment its SQL opens with."""
    if node.get("description"):
        return node["description"]
    test = node.get("test_metadata")
    if not test:
        lines = node["raw_code"].splitlines()
        opening = itertools.dropwhile(lambda line: not line.startswith("--"), lines)
        comment = itertools.takewhile(lambda line: line.startswith("--"), opening)
        return " ".join(line.removeprefix("--").strip() for line in comment) or node["name"]
    kwargs = {key: ", ".join(map(str, v)) if isinstance(v, list) else v for key, v in test["kwargs"].items()}
    if "to" in kwargs:  # ref('dim_country') -> dim_country
        kwargs["to"] = re.sub(r"^ref\('(\w+)'\)$", r"\1", kwargs["to"])
    text = GENERIC_TESTS.get(test["name"], f"dbt test {test['name']}.").format_map(kwargs)
    where = node["config"].get("where")
    if where and where.startswith("year between"):
        text += " Checked on the years the run builds."
    elif where:
        text += f" Checked where `{where}`."
    return text


def dbt_asset_definitions() -> list[dg.AssetsDefinition]:
    """The two dbt asset sets, from the manifest `python -m dagster_project prepare`
    writes (read here, when the definitions load, not at import)."""
    common = {"manifest": DBT_PROJECT.manifest_path, "project": DBT_PROJECT, "pool": "duckdb"}
    translator = TradeblocTranslator()

    @dbt_assets(**common, exclude=YEARLY_MODELS, name="dbt_unpartitioned", dagster_dbt_translator=translator)
    def dbt_unpartitioned(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        """Seeds, dimensions and the staging of the sources that are not yearly."""
        yield from build(context, dbt)

    @dbt_assets(
        **common,
        select=YEARLY_MODELS,
        name="dbt_by_year",
        dagster_dbt_translator=translator,
        partitions_def=YEARLY,
        backfill_policy=ONE_RUN_PER_RANGE,
    )
    def dbt_by_year(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        """The year-scoped models, incremental by year: a partition (or a range) recomputes
        and replaces only its years."""
        yield from build(context, dbt, partition_years(context))

    return [dbt_unpartitioned, dbt_by_year]


def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, years: range | None = None) -> Iterator:
    """`dbt build` of the selected models, for `years` (the partitions') or every year;
    dbt's events, completed once dbt has finished (a yearly model's row count counts
    the rows of `years`)."""
    settings.export_for_dbt()
    set_run_years(years)
    os.environ.pop("DBT_INDIRECT_SELECTION", None)  # dbt's default, eager (see above)
    # No debug log file: dbt would write it into the step's target folder, which is
    # removed once read (some 3 s of a 19-s build, measured); the run's log keeps dbt's events.
    args = ["build", "--log-level-file", "none"]
    if context.assets_def.is_subset and (unbuilt := tests_reading_unbuilt_models(context)):
        args = [*args, "--exclude", " ".join(unbuilt)]  # one value: dagster-dbt folds it in
    with step_target(f"{context.op_execution_context.op.name}-{context.run_id[:8]}-") as target:
        invocation = dbt.cli(args, context=context, raise_on_error=False, target_path=target)
        held = list(invocation.stream())
        if not (target / "run_results.json").exists() and (error := invocation.get_error()):
            raise error  # dbt stopped before it ran a node: its own message says why
        results = invocation.get_artifact("run_results.json")["results"]
    statuses = Counter(result["status"] for result in results)
    scope = f" for {_spans(list(years))}" if years else ""
    summarise(context.log, f"dbt build{scope}: {tally(statuses)}")
    with warehouse.read_models() as conn:
        for event in held:
            yield _complete(event, conn, invocation.manifest, years)
        if years and (empty := _years_without_rows(conn, FACT_OF_YEARS, years)):
            context.log.warning(
                f"No trade flows for {_spans(empty)}: marts.fct_trade has no row of those years "
                "(the raw folder holds no HS6 flow of them), so their metric marts are empty."
            )
    if error := invocation.get_error():
        raise error


def tests_reading_unbuilt_models(context: dg.AssetExecutionContext) -> list[str]:
    """The data tests that eager selection runs with this run's models but that read a
    model neither in the run nor in the warehouse yet. The UI's "Materialize all" builds
    each dbt set in several runs (the unpartitioned staging of BACI's code lists reads a
    yearly landing table, so the backfill alternates): such a test would fail on a
    missing table; it runs with the run that builds its last model instead."""
    nodes = json.loads(DBT_PROJECT.manifest_path.read_text())["nodes"]
    relations = {(n["schema"], n["alias"]): uid for uid, n in nodes.items() if n["resource_type"] in BUILT}
    keys = {dg.AssetKey([schema, nodes[uid]["name"]]): uid for (schema, _), uid in relations.items()}
    selected = {keys[key] for key in context.selected_asset_keys if key in keys}
    config = settings.load()
    built = set()
    if config.warehouse.exists():
        with warehouse.read_models() as conn:
            built = {uid for row in conn.execute(EXISTING).fetchall() if (uid := relations.get(row))}
    unbuilt = []
    for node in nodes.values():
        parents = [uid for uid in node.get("depends_on", {}).get("nodes", []) if uid in nodes]
        missing = [uid for uid in parents if uid not in selected and uid not in built]
        if node["resource_type"] == "test" and selected.intersection(parents) and missing:
            unbuilt.append(node["name"])
    return sorted(unbuilt)


BUILT = ("model", "seed", "snapshot")
EXISTING = "select table_schema, table_name from information_schema.tables"
CHART_OUTPUTS = {key.to_python_identifier(): key for key in CHARTS}


def _complete(event, conn: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any], years: range | None):
    """A model's output with its row count (and a bloc mart's chart); a failed check
    with a sample of its failing rows (dbt stores them as a view in schema audit)."""
    if isinstance(event, dg.Output):
        node = manifest["nodes"].get(event.metadata["unique_id"].value, {})
        metadata = dict(event.metadata)
        # (on Spark, a view has no files for DuckDB to count: it goes without)
        if node.get("resource_type") in ("model", "seed") and _exists(conn, node):
            metadata.update(_row_count(conn, node, years))
        if event.output_name in CHART_OUTPUTS:
            name, chart = CHARTS[CHART_OUTPUTS[event.output_name]]
            metadata[name] = chart(conn)
        return dg.Output(None, output_name=event.output_name, metadata=metadata)
    if isinstance(event, dg.AssetCheckResult) and not event.passed:
        node = manifest["nodes"][event.metadata["unique_id"].value]
        relation = f"{node['schema']}.{node['alias']}"
        try:
            sample = warehouse.markdown_preview(conn, f"select * from {relation}", FAILING_ROWS_SAMPLE)
        except duckdb.Error as error:  # a test that errored has no stored rows
            sample = f"(no failing rows stored: {error})"
            if settings.load().engine == "spark":  # a Spark view: no files DuckDB could read
                sample = f"(stored on Spark as the view {relation}: query it there)"
        return event._replace(
            metadata={
                **event.metadata,
                "failing_rows_relation": relation,
                "failing_rows_sample": dg.MetadataValue.md(sample),
            }
        )
    return event


def _relation(node: Mapping[str, Any]) -> str:
    return f'"{node["schema"]}"."{node["alias"]}"'


def _exists(conn: duckdb.DuckDBPyConnection, node: Mapping[str, Any]) -> bool:
    query = "select 1 from information_schema.tables where table_schema = ? and table_name = ?"
    return conn.execute(query, [node["schema"], node["alias"]]).fetchone() is not None


def _has_year(conn: duckdb.DuckDBPyConnection, node: Mapping[str, Any]) -> bool:
    query = (
        "select 1 from information_schema.columns "
        "where table_schema = ? and table_name = ? and column_name = 'year'"
    )
    return conn.execute(query, [node["schema"], node["alias"]]).fetchone() is not None


def _row_count(conn: duckdb.DuckDBPyConnection, node: Mapping[str, Any], years: range | None) -> dict:
    """The model's rows; for a yearly one, its rows in the partitions' years, and the
    years among them it has no row for, so an empty year never looks like data."""
    if years is None or not _has_year(conn, node):
        (rows,) = conn.execute(f"select count(*) from {_relation(node)}").fetchone()
        return {"dagster/row_count": rows}
    counts = _rows_by_year(conn, _relation(node), years)
    metadata = {"dagster/row_count": sum(counts.values())}
    if empty := [year for year in years if year not in counts]:
        metadata["years without rows"] = _spans(empty)
    return metadata


def _rows_by_year(conn: duckdb.DuckDBPyConnection, relation: str, years: range) -> dict[int, int]:
    query = f"select year, count(*) from {relation} where year between ? and ? group by year"
    return dict(conn.execute(query, [years.start, years.stop - 1]).fetchall())


# The fact whose rows say whether a year has data at all.
FACT_OF_YEARS = '"marts"."fct_trade"'


def _years_without_rows(conn: duckdb.DuckDBPyConnection, relation: str, years: range) -> list[int]:
    try:
        counts = _rows_by_year(conn, relation, years)
    except duckdb.CatalogException:  # a build that failed before creating it
        return []
    return [year for year in years if year not in counts]


def _spans(years: list[int]) -> str:
    """[1995, 1996, 1997, 2026] -> '1995-1997, 2026'."""
    spans = []
    for year in years:
        if spans and spans[-1][1] == year - 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
