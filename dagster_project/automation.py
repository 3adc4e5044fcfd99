"""What starts runs without a person: a sensor on the raw folder, a nightly schedule.

The sensor compares each raw file's SHA-256 with the hash the landing ledger holds
for its path, so an unchanged file triggers nothing. It requests one run per
evaluation, in the order a build needs (dagster_project/build.py): first what the
yearly assets do not feed, then the yearly assets for the years of the changed
Comtrade and BACI files, then, once those are newer than the published marts,
everything downstream (for those years only, if nothing else changed). It waits
while a run it requested is still going.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg

from . import settings, warehouse
from .assets.dbt import trade_facts_yearly
from .assets.landing import LANDING_ASSETS, YEARLY_KINDS
from .assets.partitions import YEARLY, years_tag
from .assets.serving import PUBLISHED
from .build import BuildPlan, year_range_tags
from .landing import SOURCE_KINDS
from .landing.delimited import file_sha256
from .landing.loader import current_state, source_files
from .landing.years import file_years

SENSOR_NAME = "raw_folder_sensor"
FCT_TRADE = dg.AssetKey(["marts", "fct_trade"])
IN_PROGRESS = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def changed_files(raw_dir: Path, known: dict) -> tuple[dict[str, list[Path]], dict]:
    """Per source kind, the files whose content the warehouse does not hold, and the
    hashes by (size, mtime) to remember, so that a large unchanged file is not read
    again at every evaluation."""
    held = {}
    if settings.load().warehouse.exists():
        with warehouse.connect(read_only=True) as conn:
            ledger = "select count(*) from duckdb_tables() where table_name = '_landing_ledger'"
            if conn.execute(ledger).fetchone()[0]:
                for kind in SOURCE_KINDS:
                    held.update({path: sha for path, (sha, _) in current_state(conn, kind).items()})
    changed, hashes = {}, {}
    for kind in SOURCE_KINDS:
        for path in source_files(raw_dir, kind):
            rel, stat = path.relative_to(raw_dir).as_posix(), path.stat()
            stamp = [stat.st_size, stat.st_mtime_ns]
            sha = known[rel][2] if rel in known and known[rel][:2] == stamp else file_sha256(path)
            hashes[rel] = [*stamp, sha]
            if held.get(rel) != sha:
                changed.setdefault(kind.name, []).append(path)
    return changed, hashes


def next_run(
    defs: dg.Definitions, instance: dg.DagsterInstance, changed: dict
) -> tuple[str, set, dict] | None:
    """(reason, asset keys, tags) of the run the build needs next, or None."""
    plan = BuildPlan.of(defs)
    other_kinds = sorted(set(changed) - set(YEARLY_KINDS))
    if other_kinds:
        return "new or changed files of " + ", ".join(other_kinds), plan.first, {}
    if changed:
        valid = {int(key) for key in YEARLY.get_partition_keys()}
        named = {year for paths in changed.values() for path in paths for year in file_years(path) or ()}
        # files that name no year (code lists, API downloads) land with the latest year
        years = sorted(named & valid) or [max(valid)]
        return f"new or changed files of {years[0]}-{years[-1]}", plan.yearly, year_range_tags(years)
    every = defs.resolve_asset_graph().get_all_asset_keys()
    published = _latest_materialization(instance, [PUBLISHED])
    if _latest_materialization(instance, [key for key in every if key not in plan.downstream]) <= published:
        return None
    # Only some years of trade are new: the marts recompute only those years' rows.
    others = _latest_materialization(instance, plan.first)
    years = _years_built_since(instance, published)
    tags = years_tag(years) if years and others <= published else {}
    return "rebuild what newer data feeds", plan.downstream, tags


def _years_built_since(instance: dg.DagsterInstance, timestamp: float) -> list[int]:
    """The years of fct_trade materialised after `timestamp`."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=FCT_TRADE, after_timestamp=timestamp), limit=1000
    ).records
    return sorted({int(record.partition_key) for record in records if record.partition_key})


def _latest_materialization(instance: dg.DagsterInstance, keys) -> float:
    records = (instance.get_latest_materialization_event(key) for key in keys)
    return max((record.timestamp for record in records if record), default=0.0)


@dg.sensor(
    name=SENSOR_NAME,
    target=dg.AssetSelection.all(),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Requests a run when a file under the raw folder is new or changed (by the ledger's "
        "hashes), one build step at a time; then rebuilds what the new data feeds."
    ),
)
def raw_folder_sensor(context: dg.SensorEvaluationContext):
    if context.instance.get_runs(
        filters=dg.RunsFilter(tags={"dagster/sensor_name": SENSOR_NAME}, statuses=IN_PROGRESS), limit=1
    ):
        return dg.SkipReason("a run this sensor requested is still going")
    cursor = json.loads(context.cursor or "{}")
    try:
        changed, hashes = changed_files(settings.load().raw_dir, cursor.get("hashes", {}))
    except warehouse.WarehouseUnavailable:
        return dg.SkipReason("the warehouse is being written; looking again later")
    from .definitions import defs  # the sensor is part of them

    request = next_run(defs, context.instance, changed)
    if request is None:
        context.update_cursor(json.dumps({"hashes": hashes}))
        return dg.SkipReason("every raw file is landed and the marts are up to date")
    label, keys, tags = request
    run_key = hashlib.sha256(json.dumps([label, sorted(hashes.items())]).encode()).hexdigest()[:16]
    context.update_cursor(json.dumps({"hashes": hashes}))
    return dg.RunRequest(
        run_key=run_key, asset_selection=sorted(keys), tags={**tags, "tradebloc/reason": label}
    )


YEARLY_ASSETS = [trade_facts_yearly, *(assets for assets in LANDING_ASSETS if assets.partitions_def)]

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh",
    cron_schedule="0 2 * * *",
    target=dg.AssetSelection.all() - dg.AssetSelection.assets(*YEARLY_ASSETS),
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description=(
        "At 02:00, lands the sources that are not yearly and rebuilds every unpartitioned asset "
        "(dimensions, metric marts, serving) on the trade facts already built; the sensor "
        "handles new trade files. Off by default: turn it on in the UI."
    ),
)
