"""A newcomer's journey in the Dagster UI, in a real browser, from an empty warehouse.

Dagster runs as `make ui` runs it (`dagster dev`: the webserver and the daemon, so the
raw-folder sensor and the declarative automation run, both on as they ship, looking
every 10 s rather than 30) over a copy of the sample, with a Dagster home and a
warehouse of its own. The steps:

1. open the lineage;
2. launch "Materialize all" over every year;
3. wait for its success: nothing else ran (the sensor leaves the first build to it);
4. materialise fct_trade for 2024 by hand: the automation rebuilds what it feeds, for
   2024 only, and the marts' rows for 2024 come back the same;
5. drop a file into the raw folder (Korea's 2023 annual Comtrade report, held back
   until now): the sensor lands it, the automation rebuilds 2023, and the published
   marts show Korea's calibrated 2023 exports to China (docs/sample-data.md);
6. no planned check of any run was skipped or failed.

Each step asserts what the page shows and keeps a screenshot
(test-artifacts/ui/journey-<n>-<what>.png). What the UI shows a page at a time (every
run, every check evaluation) is read from the Dagster home, read-only, and the sensors'
ticks from the webserver's GraphQL; the marts from the published serving copy. Nothing
may be built twice: in each step, every asset partition is materialised at most once.
"""

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.execution.backfill import BulkActionsFilter, BulkActionStatus
from dagster._core.storage.dagster_run import NOT_FINISHED_STATUSES

from dagster_project import settings
from dagster_project.assets.partitions import RANGE_END, RANGE_START, raw_years
from dagster_project.assets.serving import PUBLISHED
from dagster_project.automation import SENSOR_NAME
from tests.browser import LOCATION, dagster_server, open_page, screenshot, wait_for_text

pytestmark = pytest.mark.e2e

# Korea's 2023 annual report: out of the raw folder until step 5 drops it in.
HELD_BACK = "comtrade/COMTRADE-FINAL-CA4102023H5[2026-07-01].gz"
DROPPED_YEAR = 2023
# Korea-reported exports to China in 2023, calibrated in the sample (docs/sample-data.md)
KOREA_EXPORTS_TO_CHINA_2023 = 124_800_000_000.00
TOUCHED_YEAR = 2024
FCT_TRADE = dg.AssetKey(["marts", "fct_trade"])
AUTOMATION_SENSOR = "automation"
# The sensors look every 10 s rather than the 30 s they ship with: the steps wait less
# for them, and what they do is the same. A run over every year takes minutes on two
# shared cores.
SENSOR_INTERVAL = 10
BUILD_TIMEOUT = 20 * 60
STEP_TIMEOUT = 8 * 60


@dataclass(frozen=True)
class Journey:
    base: str
    raw_dir: Path
    held_back: Path
    serving_db: Path
    home: Path
    log: Path

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(str(self.home))

    def graphql(self, query: str, **variables) -> dict:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(
            f"{self.base}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert "errors" not in answer, answer
        return answer["data"]


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> Journey:
    """`make ui` over a copy of the sample (less the held-back file), from nothing built."""
    root = tmp_path_factory.mktemp("journey")
    raw_dir = root / "raw"
    shutil.copytree(settings.REPO_ROOT / "raw", raw_dir)
    held_back = root / "held-back" / Path(HELD_BACK).name
    held_back.parent.mkdir()
    shutil.move(raw_dir / HELD_BACK, held_back)
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(settings.REPO_ROOT / "dagster_home" / "dagster.yaml", home)
    warehouse = root / "warehouse" / "tradebloc.duckdb"
    env = {settings.RAW_DIR_VAR: str(raw_dir), settings.WAREHOUSE_VAR: str(warehouse)}
    env["DAGSTER_HOME"] = str(home)
    env[settings.SENSOR_INTERVAL_VAR] = str(SENSOR_INTERVAL)
    prepare = [sys.executable, "-m", "dagster_project", "prepare"]
    done = subprocess.run(prepare, env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    log = root / "dagster-dev.log"
    with dagster_server([sys.executable, "-m", "dagster", "dev", "-m", LOCATION], env, log) as base:
        yield Journey(base, raw_dir, held_back, warehouse.parent / "serving" / "tradebloc.duckdb", home, log)


def test_the_journey_from_the_lineage_to_automated_updates(browser, journey, defs):
    started = time.monotonic()
    with journey.instance() as instance:
        page = _step_1_open_the_lineage(browser, journey)
        backfill_id, since = _step_2_materialize_all(page, journey, instance)
        _step_3_wait_for_success(browser, journey, instance, defs, backfill_id, since)
        _step_4_one_partition(browser, journey, instance, defs)
        _step_5_a_new_file(browser, journey, instance)
        _step_6_no_check_skipped_or_failed(browser, journey, instance)
    print(f"\nthe journey took {time.monotonic() - started:.0f} s")


def _step_1_open_the_lineage(browser, journey: Journey):
    page = open_page(browser, f"{journey.base}/asset-groups", "Global asset lineage")
    body = wait_for_text(page, "serving")
    for group in ("landing", "staging", "intermediate", "marts", "serving"):
        assert group in body
    # the sensor is on and has looked at the raw folder: it leaves the first build to a person
    tick = _wait_for_tick(journey, SENSOR_NAME, after=0)
    assert tick["status"] == "SKIPPED" and "nothing landed yet" in tick["skipReason"], tick
    screenshot(page, "journey-1-lineage.png")
    return page


def _step_2_materialize_all(page, journey: Journey, instance: dg.DagsterInstance) -> tuple[str, float]:
    page.get_by_role("button", name="Materialize all…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Partition selection").wait_for(timeout=60_000)
    # Dagster's dialog opens with no partition selected; a newcomer picks every year
    dialog.get_by_role("button", name="All", exact=True).click()
    selected = re.search(r"(\d+) partitions", wait_for_text(page, "partitions"))
    years = raw_years(journey.raw_dir)
    assert selected and int(selected.group(1)) >= len(years), selected
    screenshot(page, "journey-2-materialize-all.png")
    since = time.time()
    dialog.get_by_role("button", name=re.compile("^Launch")).click()
    backfills = _poll(lambda: instance.get_backfills(), "the backfill to be recorded", 60)
    assert len(backfills) == 1
    page.close()
    return backfills[0].backfill_id, since


def _step_3_wait_for_success(browser, journey, instance, defs, backfill_id: str, since: float) -> None:
    _settle(journey, instance, BUILD_TIMEOUT)
    backfill = instance.get_backfill(backfill_id)
    assert backfill.status == BulkActionStatus.COMPLETED_SUCCESS, backfill.status
    runs = _runs_since(instance, since)
    assert runs and all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs), _describe(runs)
    # the build is the backfill's runs only: neither the sensor nor the automation built anything
    assert all(run.tags.get("dagster/backfill") == backfill_id for run in runs), _describe(runs)
    # every yearly asset, once for each year the raw folder holds. The backfill asks for
    # an asset's years as their parents' are recorded, even while the parents' run still
    # records the rest, so one asset's years may come in two ranged runs.
    built = _assert_nothing_built_twice(instance, runs)
    years = {str(year) for year in raw_years(journey.raw_dir)}
    graph = defs.resolve_asset_graph()
    yearly = [key for key in graph.get_all_asset_keys() if graph.get(key).partitions_def]
    unbuilt = {key.to_user_string(): years - {p for k, p in built if k == key} for key in yearly}
    assert yearly and not any(unbuilt.values()), unbuilt
    page = open_page(browser, f"{journey.base}/runs/b/{backfill_id}?tab=runs", "Success")
    screenshot(page, "journey-3-success.png")
    page.close()
    with _serving(journey) as conn:
        assert _korea_exports_to_china(conn) is None  # Korea's report is not in yet


def _step_4_one_partition(browser, journey, instance, defs) -> None:
    with _serving(journey) as conn:
        before = _rows_by_mart_and_year(conn)
    assert before[("fct_trade", TOUCHED_YEAR)] > 0

    page = open_page(browser, f"{journey.base}/assets/marts/fct_trade", "Materialize…")
    page.get_by_role("button", name="Materialize…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Partition selection").wait_for(timeout=60_000)
    years = dialog.get_by_placeholder(re.compile("^ex:"))
    years.fill(str(TOUCHED_YEAR))
    years.press("Enter")  # the dialog reads the text when it is entered
    wait_for_text(page, "Launch 1 run")
    screenshot(page, "journey-4a-one-partition.png")
    since = time.time()
    dialog.get_by_role("button", name=re.compile("^Launch")).click()
    _poll(lambda: _runs_since(instance, since), "the run to be recorded", 60)
    page.close()

    graph = defs.resolve_asset_graph()
    downstream = dg.AssetSelection.assets(FCT_TRADE).downstream(include_self=False).resolve(graph)
    _settle(journey, instance, STEP_TIMEOUT, until=lambda: _materialised_since(instance, PUBLISHED, since))
    runs = _runs_since(instance, since)
    assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs), _describe(runs)
    by_hand = [run for run in runs if "dagster/from_automation_condition" not in run.tags]
    assert len(by_hand) == 1 and by_hand[0].asset_selection == {FCT_TRADE}, _describe(runs)
    built = _assert_nothing_built_twice(instance, runs)
    # what fct_trade feeds was rebuilt, for 2024 and for no other year
    assert {partition for _, partition in built} == {str(TOUCHED_YEAR), None}, built
    partitioned = {key for key in downstream if graph.get(key).partitions_def}
    assert partitioned <= {key for key, partition in built if partition == str(TOUCHED_YEAR)}, partitioned
    assert PUBLISHED in {key for key, _ in built}
    with _serving(journey) as conn:
        after = _rows_by_mart_and_year(conn)
    assert after == before  # the same year rebuilt from the same files: the same rows

    page = open_page(browser, f"{journey.base}/runs", "Success")
    screenshot(page, "journey-4b-automation-runs.png")
    page.close()


def _step_5_a_new_file(browser, journey, instance) -> None:
    with _serving(journey) as conn:
        before = _rows_by_mart_and_year(conn)
    since = time.time()
    shutil.copy2(journey.held_back, journey.raw_dir / HELD_BACK)
    # the copy's time is the original's: touch it, as a download would be new
    (journey.raw_dir / HELD_BACK).touch()

    _settle(journey, instance, STEP_TIMEOUT, until=lambda: _materialised_since(instance, PUBLISHED, since))
    runs = _runs_since(instance, since)
    assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs), _describe(runs)
    landing = [run for run in runs if run.tags.get("dagster/sensor_name") == SENSOR_NAME]
    assert len(landing) == 1, _describe(runs)
    assert landing[0].tags.get("dagster/partition") == str(DROPPED_YEAR), _describe(runs)
    built = _assert_nothing_built_twice(instance, runs)
    assert {partition for _, partition in built} == {str(DROPPED_YEAR), None}, built
    with _serving(journey) as conn:
        after = _rows_by_mart_and_year(conn)
        assert _korea_exports_to_china(conn) == KOREA_EXPORTS_TO_CHINA_2023
    # Korea's report fills the reporter's side of flows its partners reported (fct_trade),
    # and adds its own reports (fct_trade_reported)
    assert after[("fct_trade_reported", DROPPED_YEAR)] > before[("fct_trade_reported", DROPPED_YEAR)]
    other_years = {key: rows for key, rows in before.items() if key[1] != DROPPED_YEAR}
    assert {key: after[key] for key in other_years} == other_years

    page = open_page(browser, f"{journey.base}/locations/{LOCATION}/sensors/{SENSOR_NAME}", "Latest tick")
    wait_for_text(page, "1 run requested")
    screenshot(page, "journey-5-sensor-landed.png")
    page.close()


def _step_6_no_check_skipped_or_failed(browser, journey, instance) -> None:
    problems = []
    runs = instance.get_runs()
    for run in runs:
        planned = {
            event.asset_check_planned_data.asset_check_key
            for event in _events(instance, run, dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
        }
        evaluated = {}
        for event in _events(instance, run, dg.DagsterEventType.ASSET_CHECK_EVALUATION):
            evaluation = event.asset_check_evaluation_data
            evaluated[evaluation.asset_check_key] = evaluation.passed
        name = run.run_id[:8]
        problems += [f"{name} skipped {key.to_user_string()}" for key in planned - evaluated.keys()]
        problems += [f"{name} failed {key.to_user_string()}" for key, ok in evaluated.items() if not ok]
    assert runs
    # the UI's checks of fct_trade (the blocking conservation checks) and of the mirror
    # gaps (a warning check)
    bodies = {}
    for mart in ("fct_trade", "mart_mirror_gaps"):
        page = open_page(browser, f"{journey.base}/assets/marts/{mart}?view=checks", "Execute all")
        bodies[mart] = wait_for_text(page, "Succeeded")
        screenshot(page, f"journey-6-checks-{mart}.png")
        page.close()
    assert not problems, "\n".join(problems)
    assert all("Skipped" not in body and "Failed" not in body for body in bodies.values())


# --- what the steps read ---------------------------------------------------------------


def _poll(read, what: str, timeout: float, interval: float = 2):
    deadline = time.monotonic() + timeout
    while not (value := read()):
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        time.sleep(interval)
    return value


TICKS = """
query Ticks($location: String!, $sensor: String!) {
  sensorOrError(sensorSelector: {repositoryLocationName: $location, repositoryName: "__repository__",
                                 sensorName: $sensor}) {
    ... on Sensor { sensorState { ticks(limit: 1) { timestamp endTimestamp status skipReason runIds } } }
  }
}"""


def _latest_tick(journey: Journey, sensor: str) -> dict | None:
    ticks = journey.graphql(TICKS, location=LOCATION, sensor=sensor)["sensorOrError"]["sensorState"]["ticks"]
    return ticks[0] if ticks else None


def _wait_for_tick(journey: Journey, sensor: str, after: float) -> dict:
    """The sensor's first finished tick that started after `after` (a Unix time)."""

    def read():
        tick = _latest_tick(journey, sensor)
        return tick if tick and tick["timestamp"] > after and tick["status"] != "STARTED" else None

    return _poll(read, f"a tick of {sensor}", 120)


def _settle(journey: Journey, instance: dg.DagsterInstance, timeout: float, until=lambda: True) -> None:
    """Wait until `until()` holds, no run or backfill is in flight, and both sensors have
    looked again since the last run ended and asked for nothing."""
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, f"not settled within {timeout:.0f} s; see {journey.log}"
        busy = instance.get_runs(filters=dg.RunsFilter(statuses=NOT_FINISHED_STATUSES))
        backfills = instance.get_backfills(filters=BulkActionsFilter(statuses=[BulkActionStatus.REQUESTED]))
        if until() and not busy and not backfills:
            last_end = max((r.end_time or 0) for r in instance.get_run_records(limit=50))
            ticks = [_latest_tick(journey, sensor) for sensor in (SENSOR_NAME, AUTOMATION_SENSOR)]
            quiet = all(t and t["timestamp"] > last_end and t["status"] == "SKIPPED" for t in ticks)
            if quiet and not instance.get_runs(filters=dg.RunsFilter(statuses=NOT_FINISHED_STATUSES)):
                return
        time.sleep(3)


def _runs_since(instance: dg.DagsterInstance, since: float) -> list:
    records = instance.get_run_records()
    return [record.dagster_run for record in records if record.create_timestamp.timestamp() >= since]


def _describe(runs) -> str:
    return "\n".join(
        f"{run.run_id[:8]} {run.status.value} {run.tags.get('dagster/partition') or ''}"
        f" {run.tags.get(RANGE_START, '')}-{run.tags.get(RANGE_END, '')} "
        f"{sorted(k.to_user_string() for k in run.asset_selection or [])[:4]} "
        f"{ {k: v for k, v in run.tags.items() if k.startswith(('dagster/sensor', 'dagster/backfill'))} }"
        for run in runs
    )


def _events(instance: dg.DagsterInstance, run, event_type: dg.DagsterEventType):
    return [entry.dagster_event for entry in instance.all_logs(run.run_id, of_type=event_type)]


def _assert_nothing_built_twice(instance: dg.DagsterInstance, runs) -> Counter:
    """Every (asset, partition) these runs materialised, each at most once."""
    built = Counter()
    for run in runs:
        for event in _events(instance, run, dg.DagsterEventType.ASSET_MATERIALIZATION):
            built[(event.asset_key, event.partition)] += 1
    twice = {f"{key.to_user_string()} {partition}": n for (key, partition), n in built.items() if n > 1}
    assert built and not twice, twice
    return built


def _materialised_since(instance: dg.DagsterInstance, key: dg.AssetKey, since: float) -> bool:
    event = instance.get_latest_materialization_event(key)
    return bool(event and event.timestamp >= since)


@contextlib.contextmanager
def _serving(journey: Journey):
    """The published serving copy, read-only (what SQL users and BI tools read)."""
    with duckdb.connect(str(journey.serving_db), read_only=True) as conn:
        yield conn


def _rows_by_mart_and_year(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], int]:
    tables = conn.execute(
        "select table_name from information_schema.columns "
        "where table_schema = 'marts' and column_name = 'year' order by 1"
    ).fetchall()
    rows = {}
    for (table,) in tables:
        for year, count in conn.execute(f"select year, count(*) from marts.{table} group by year").fetchall():
            rows[(table, year)] = count
    return rows


def _korea_exports_to_china(conn: duckdb.DuckDBPyConnection) -> float | None:
    (value,) = conn.execute(
        "select round(sum(exporter_reported_value_usd), 2) from marts.fct_trade "
        "where period_key = ? and exporter_iso3 = 'KOR' and importer_iso3 = 'CHN'",
        [str(DROPPED_YEAR)],
    ).fetchone()
    return value
