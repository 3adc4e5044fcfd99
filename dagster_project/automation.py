"""What starts runs without a person, when the Dagster daemon runs (`make ui`).

- `raw_folder_sensor` lands what changed in the raw folder: a file is new or changed
  when the landing ledger holds no event for its path, or one of another size or
  older than the file's modification time (no file is read to tell). It asks for
  the landing of the changed sources, one run per year of the yearly ones. It waits
  while a run or a backfill that lands is queued or in progress (the files it would
  ask for are already being landed), and it leaves the first build to a person
  ("Materialize all" in the UI, or `make run`): one run, not a run per year.
- `automation` (Dagster's declarative automation) does the rest: every dbt asset
  and the serving copy are eager (assets/dbt.py), so a landed file, or a partition
  materialised by hand, brings what it feeds up to date for its years, once nothing
  they read is missing or in progress (a backfill running covers them).
"""

import contextlib
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

# Not exported at the top level in Dagster 1.13: what a backfill is doing, and run states.
from dagster._core.execution.backfill import BulkActionsFilter, BulkActionStatus
from dagster._core.storage.dagster_run import NOT_FINISHED_STATUSES

from . import settings, warehouse
from .assets.landing import table_key
from .assets.partitions import YEARLY, YEARLY_KINDS
from .landing import SOURCE_KINDS
from .landing.loader import LEDGER, source_files
from .landing.years import file_years

SENSOR_NAME = "raw_folder_sensor"
LANDING_KEYS = [table_key(table) for kind in SOURCE_KINDS for table in kind.tables]


def changed_files(raw_dir: Path) -> dict[str, list[Path]] | None:
    """Per source kind, the files the ledger has not seen as they are now; None when
    nothing was ever landed."""
    rows = []
    if settings.load().warehouse.exists():
        with warehouse.connect(read_only=True) as conn, contextlib.suppress(duckdb.CatalogException):
            rows = conn.execute(
                f"select path, size_bytes, landed_at from {LEDGER} "
                "qualify row_number() over (partition by path order by event_id desc) = 1"
            ).fetchall()
    if not rows:
        return None
    seen = {path: (size, landed_at.replace(tzinfo=UTC)) for path, size, landed_at in rows}
    changed = {}
    for kind in SOURCE_KINDS:
        for path in source_files(raw_dir, kind):
            stat = path.stat()
            size, landed_at = seen.get(path.relative_to(raw_dir).as_posix(), (None, None))
            if size != stat.st_size or datetime.fromtimestamp(stat.st_mtime, UTC) > landed_at:
                changed.setdefault(kind.name, []).append(path)
    return changed


def run_requests(changed: dict[str, list[Path]]) -> list[dg.RunRequest]:
    """The landing runs for these files: the sources that are not yearly in one run,
    each year of the yearly ones in a run of its partition. A run's key is the files'
    names, sizes and times, so the same change is never requested twice."""
    latest = YEARLY.get_last_partition_key()
    valid = set(YEARLY.get_partition_keys())
    batches: dict[str | None, dict[str, list[Path]]] = {}
    for kind, paths in changed.items():
        for path in paths:
            years = [str(year) for year in file_years(path) or ()] if kind in YEARLY_KINDS else [None]
            # a yearly source's file that names no year (a code list) lands with the latest year
            for year in [y for y in years if y is None or y in valid] or [latest]:
                batches.setdefault(year, {}).setdefault(kind, []).append(path)
    kinds_by_name = {kind.name: kind for kind in SOURCE_KINDS}
    requests = []
    for year, kinds in sorted(batches.items(), key=lambda item: item[0] or ""):
        keys = [table_key(table) for name in sorted(kinds) for table in kinds_by_name[name].tables]
        files = [path for paths in kinds.values() for path in paths]
        stamp = sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
        requests.append(
            dg.RunRequest(
                run_key=hashlib.sha256(json.dumps([year, stamp]).encode()).hexdigest()[:16],
                asset_selection=keys,
                partition_key=year,
                tags={"tradebloc/reason": f"new or changed files of {', '.join(sorted(kinds))}"},
            )
        )
    return requests


def landing_in_flight(instance: dg.DagsterInstance) -> str | None:
    """A queued or running run, or a requested backfill, that lands: until it ends, the
    ledger does not show what it lands, and asking again would land it twice (the run
    keys differ, as a year's batch shrinks when a file of several years is landed)."""
    landing = set(LANDING_KEYS)
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=NOT_FINISHED_STATUSES))
    for run in runs:
        if run.asset_selection is None or landing & run.asset_selection:
            return f"run {run.run_id[:8]}"
    for backfill in instance.get_backfills(filters=BulkActionsFilter(statuses=[BulkActionStatus.REQUESTED])):
        if backfill.asset_selection is None or landing & set(backfill.asset_selection):
            return f"backfill {backfill.backfill_id}"
    return None


@dg.sensor(
    name=SENSOR_NAME,
    # Its runs' targets: without one, the daemon refuses every RunRequest it returns.
    asset_selection=LANDING_KEYS,
    minimum_interval_seconds=settings.sensor_interval_seconds(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Lands the files of the raw folder that are new or changed since the landing ledger saw them "
        "(by size and modification time); declarative automation then rebuilds what they feed."
    ),
)
def raw_folder_sensor(context: dg.SensorEvaluationContext):
    if landing := landing_in_flight(context.instance):
        return dg.SkipReason(f"{landing} lands the raw folder now; looking again after it")
    try:
        changed = changed_files(settings.load().raw_dir)
    except warehouse.WarehouseUnavailable:
        return dg.SkipReason("the warehouse is being written; looking again later")
    if changed is None:
        return dg.SkipReason("nothing landed yet: the first build is one run ('Materialize all', make run)")
    if not changed:
        return dg.SkipReason("every file in the raw folder is landed")
    requests = run_requests(changed)
    # A compact cursor: one digest of what was last requested, shown on the sensor's page.
    context.update_cursor(hashlib.sha256("".join(r.run_key for r in requests).encode()).hexdigest()[:16])
    return requests


automation = dg.AutomationConditionSensorDefinition(
    "automation",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=settings.sensor_interval_seconds(),
    description="Rebuilds each dbt asset and the serving copy when what they read was updated "
    "(for the partitions updated), once nothing they read is missing or in progress.",
)
