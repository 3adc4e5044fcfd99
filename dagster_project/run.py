"""A build from the command line (`make run`) or a test: one Dagster run of every asset.

The run covers the years the raw folder holds as one range of the yearly
partitions: the landing, the unpartitioned dbt set, then the yearly set for those
years, then the serving copy, in the order of the asset graph. It is recorded in the
Dagster instance like a run launched from the UI.
"""

from pathlib import Path

import dagster as dg

from .assets.partitions import range_tags, raw_years


def materialise(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    raw_dir: Path,
    years: list[int] | None = None,
    run_config: dict | None = None,
    select: str | None = None,
) -> dg.ExecuteInProcessResult:
    """Every asset for the years in `raw_dir`; with `years`, only those years'
    partitions and what they feed (one new year's cost); with `select`, only the
    assets of that Dagster selection (e.g. 'group:landing', 'key:marts/fct_trade+')."""
    job = defs.resolve_implicit_global_asset_job_def()
    graph = defs.resolve_asset_graph()
    selection = dg.AssetSelection.from_string(select) if select else dg.AssetSelection.all()
    if years:
        yearly = [key for key in graph.get_all_asset_keys() if graph.get(key).partitions_def]
        selection &= dg.AssetSelection.assets(*yearly).downstream()
    # A landing op lands all of a source's tables in one transaction: take them all.
    keys = selection.required_multi_asset_neighbors().resolve(graph)
    if not keys:
        raise ValueError(f"the selection {select!r} names no asset")
    return job.execute_in_process(
        instance=instance,
        asset_selection=sorted(keys) if select or years else None,
        tags=range_tags(years or raw_years(raw_dir)),
        run_config=run_config,
        raise_on_error=False,
    )


def failed_checks(result: dg.ExecuteInProcessResult) -> list[dg.AssetCheckEvaluation]:
    """The checks of severity error that failed (a blocking one also failed its step)."""
    return [
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    ]
