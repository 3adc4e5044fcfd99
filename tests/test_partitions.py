"""Yearly partitions, the one-run build, the raw-folder sensor and the automation."""

import logging
import os
import shutil
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import resources, settings
from dagster_project.landing.years import file_years
from dagster_project.resources import dbt_command, prepare_dbt, saved_parse, set_run_years
from dagster_project.run import materialise

REPO_RAW = settings.REPO_ROOT / "raw"
NOT_YEARLY = ("hts", "wdi", "wits")
MART = "marts.mart_intra_industry_trade"


@pytest.mark.parametrize(
    "name, years",
    [
        ("BACI_HS17_Y2023_V202501.csv", {2023}),
        ("COMTRADE-FINAL-CA1562023H5[2026-07-01].gz", {2023}),
        ("COMTRADE-FINAL-CM842202404H5[2026-07-01].gz", {2024}),
        ("COMTRADE-FINAL-CA42022H5[2026-07-01].gz", {2022}),  # a one-digit reporter code
        ("TradeData_251_FRA_A_2015-2025.csv", set(range(2015, 2026))),
        ("TradeData_A_2019.csv", {2019}),
        ("TradeData_11_29_2026_03_12_55.csv", None),  # a download's time stamp is no year
        ("country_codes_V202501.csv", None),
        ("product_codes_HS17_V202501.csv", None),
    ],
)
def test_file_years_read_from_the_source_names(name, years):
    assert file_years(Path(name)) == years


def test_a_run_passes_its_years_to_dbt_and_a_run_without_years_none(monkeypatch):
    monkeypatch.setenv(settings.YEAR_FROM_VAR, "1999")  # left by an earlier step
    set_run_years(range(2021, 2024))
    assert (os.environ[settings.YEAR_FROM_VAR], os.environ[settings.YEAR_TO_VAR]) == ("2021", "2023")
    set_run_years(None)
    assert settings.YEAR_FROM_VAR not in os.environ and settings.YEAR_TO_VAR not in os.environ


def test_dbts_saved_parse_serves_a_yearly_run_on_any_warehouse(dbt_manifest, tmp_path, monkeypatch):
    """`prepare` parses again for a warehouse of other settings (dbt's saved parse holds
    the profile), and dbt reads a run's years from the environment only as it executes:
    a yearly step on that warehouse finds nothing to parse, where both made it parse in
    full (`--vars` did in every yearly run)."""
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(tmp_path / "elsewhere" / "tradebloc.duckdb"))
    prepare_dbt()
    target = tmp_path / "target"  # a dbt step's own folder, as dagster-dbt gives it the saved parse
    target.mkdir()
    shutil.copy(dbt_manifest.with_name("partial_parse.msgpack"), target)
    monkeypatch.setenv(settings.YEAR_FROM_VAR, "2023")
    monkeypatch.setenv(settings.YEAR_TO_VAR, "2023")
    environment = os.environ | settings.load().dbt_env()
    command = dbt_command("parse", "--log-level", "debug", target_path=target)
    parse = subprocess.run(command, env=environment, capture_output=True, text=True)
    assert parse.returncode == 0, parse.stdout[-3000:]
    assert "Partial parsing enabled, no changes found" in parse.stdout, parse.stdout[-3000:]


def test_a_dbt_step_starts_from_the_parse_saved_for_its_own_warehouse(tmp_path, monkeypatch):
    """A step keeps the parse dbt leaves in its folder for the next step on the same
    profile; a step on another warehouse does not get it; the latest profiles' are kept."""
    parses = tmp_path / "parses"
    monkeypatch.setattr(resources, "SAVED_PARSES", parses)

    def step(warehouse: str, parsed: bytes | None = None) -> bytes | None:
        """What the step's folder held of a parse; `parsed`: what dbt writes there, if it parses."""
        monkeypatch.setenv(settings.WAREHOUSE_VAR, str(tmp_path / warehouse / "tradebloc.duckdb"))
        with resources.step_target("test-") as folder:
            given = folder / "partial_parse.msgpack"
            held = given.read_bytes() if given.exists() else None
            if parsed is not None:
                given.write_bytes(parsed)
        assert not folder.exists()
        return held

    assert step("a", b"parse for a") is None
    assert step("a") == b"parse for a"
    assert step("b", b"parse for b") is None
    assert step("a") == b"parse for a"
    assert step("a", b"parse for a, a model changed") == b"parse for a"
    assert step("a") == b"parse for a, a model changed"
    os.utime(next(parses.glob("*.msgpack")), (0, 0))  # the oldest: one of a and b
    for i in range(resources.SAVED_PARSES_KEPT):
        step(f"w{i}", b"parse")
    assert len(list(parses.glob("*.msgpack"))) == resources.SAVED_PARSES_KEPT
    assert step("w0") == b"parse"


def _by_set(defs) -> dict[str, set[dg.AssetKey]]:
    return {assets.node_def.name: set(assets.keys) for assets in defs.assets if hasattr(assets, "node_def")}


def test_one_run_builds_the_unpartitioned_dbt_set_before_the_yearly_one(defs):
    """The dbt graph runs one way, so a single run can order the two dbt sets."""
    graph = defs.resolve_asset_graph()
    sets = _by_set(defs)
    unpartitioned, by_year = sets["dbt_unpartitioned"], sets["dbt_by_year"]
    assert dg.AssetKey(["marts", "fct_trade"]) in by_year
    assert dg.AssetKey(["marts", "mart_bloc_trade_annual"]) in by_year
    assert dg.AssetKey(["marts", "dim_country"]) in unpartitioned
    downstream_of_yearly = dg.AssetSelection.assets(*by_year).downstream().resolve(graph)
    assert not unpartitioned & downstream_of_yearly  # nothing unpartitioned reads a yearly model
    assert all(graph.get(key).partitions_def for key in by_year)
    serving = graph.get(dg.AssetKey(["serving", "published_marts"]))
    assert {key for key in by_year if key.path[0] == "marts"} <= serving.parent_keys


def _raw_with_years(raw_dir: Path, years: list[int]) -> None:
    """The sample's non-yearly sources, BACI's code lists, and the yearly files of `years`."""
    for kind in NOT_YEARLY:
        shutil.copytree(REPO_RAW / kind, raw_dir / kind)
    for kind in ("comtrade", "baci"):
        (raw_dir / kind).mkdir(parents=True, exist_ok=True)
        for path in (REPO_RAW / kind).iterdir():
            held = file_years(path)
            if (held is None and kind == "baci") or (held and len(held) == 1 and held <= set(years)):
                shutil.copy(path, raw_dir / kind)


@pytest.fixture(scope="module")
def two_years_built(defs, tmp_path_factory):
    """2021 and 2022 landed and built in one run; 2023's files held back."""
    tmp_path = tmp_path_factory.mktemp("two_years")
    raw_dir, warehouse = tmp_path / "raw", tmp_path / "warehouse" / "tradebloc.duckdb"
    _raw_with_years(raw_dir, [2021, 2022, 2023])
    held_back = tmp_path / "held_back"
    held_back.mkdir()
    for path in [*raw_dir.glob("comtrade/*"), *raw_dir.glob("baci/*")]:
        if file_years(path) == {2023}:
            shutil.move(path, held_back / path.name)
    with pytest.MonkeyPatch.context() as env:
        env.setenv(settings.RAW_DIR_VAR, str(raw_dir))
        env.setenv(settings.WAREHOUSE_VAR, str(warehouse))
        instance = dg.DagsterInstance.ephemeral()
        result = materialise(defs, instance, raw_dir)
        assert result.success
        yield raw_dir, warehouse, held_back, instance, result


@pytest.mark.e2e
def test_a_build_is_one_run_over_the_years_held(two_years_built):
    *_, instance, result = two_years_built
    assert len(instance.get_runs()) == 1
    assert result.dagster_run.tags["dagster/asset_partition_range_start"] == "2021"
    assert result.dagster_run.tags["dagster/asset_partition_range_end"] == "2022"
    checks = result.get_asset_check_evaluations()
    assert checks and all(check.passed for check in checks if check.severity == dg.AssetCheckSeverity.ERROR)
    # each yearly model counts its rows in the run's years; a whole table, the rest
    counts = _row_counts(result)
    with duckdb.connect(str(two_years_built[1]), read_only=True) as conn:
        (trade,) = conn.execute("select count(*) from marts.fct_trade where year in (2021, 2022)").fetchone()
    assert counts["marts/fct_trade"] == {"2021": (trade, None), "2022": (trade, None)}
    assert next(iter(counts["marts/dim_country"].values()))[0] > 0


def _row_counts(result) -> dict[str, dict[str | None, tuple]]:
    """Per asset and partition: the row count its materialisation shows, and its years without rows."""
    counts = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        metadata = materialization.metadata
        empty = metadata.get("years without rows")
        counts.setdefault(materialization.asset_key.to_user_string(), {})[materialization.partition] = (
            metadata["dagster/row_count"].value if "dagster/row_count" in metadata else None,
            empty.value if empty else None,
        )
    return counts


def _rowids_by_year(warehouse: Path, table: str = "marts.fct_trade") -> dict[int, list[int]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        sql = f"select year, list(rowid order by rowid) from {table} group by year"
        return dict(conn.execute(sql).fetchall())


def _evaluate(defs, instance):
    context = dg.build_sensor_context(instance=instance, definitions=defs)
    return defs.resolve_sensor_def("raw_folder_sensor")(context)


@pytest.mark.e2e
def test_a_new_year_is_landed_by_the_sensor_and_built_for_its_year_only(defs, two_years_built, dbt_manifest):
    """The sensor lands a new file's year; the automation then asks for what it feeds,
    for that year; running it leaves the other years' rows untouched."""
    raw_dir, warehouse, held_back, instance, _ = two_years_built
    assert isinstance(_evaluate(defs, instance), dg.SkipReason)  # every file landed: nothing to do
    before, mart_before = (
        _rowids_by_year(warehouse),
        _rowids_by_year(warehouse, MART),
    )
    assert set(before) == set(mart_before) == {2021, 2022}

    for path in held_back.iterdir():
        shutil.copy(path, raw_dir / ("baci" if path.name.startswith("BACI") else "comtrade") / path.name)
    requests = _evaluate(defs, instance)
    assert [request.partition_key for request in requests] == ["2023"]
    assert {key.path[1] for key in requests[0].asset_selection} >= {"baci_flows", "comtrade_flows"}
    assert [r.run_key for r in _evaluate(defs, instance)] == [requests[0].run_key]  # asked once

    # the landing of that partition, as the sensor's run does it, after the automation's first look
    first_tick = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert first_tick.total_requested == 0  # the built years are up to date, nothing else is asked
    job = defs.resolve_implicit_global_asset_job_def()
    landing = job.execute_in_process(
        instance=instance, asset_selection=requests[0].asset_selection, partition_key="2023"
    )
    assert landing.success
    assert isinstance(_evaluate(defs, instance), dg.SkipReason)

    automation = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first_tick.cursor)
    fct_trade = dg.AssetKey(["marts", "fct_trade"])
    assert automation.get_requested_partitions(fct_trade) == {"2023"}
    assert automation.get_requested_partitions(dg.AssetKey(["marts", "mart_bloc_trade_annual"])) == {"2023"}
    assert automation.get_num_requested(dg.AssetKey(["marts", "dim_country"])) == 0

    saved = saved_parse()  # dbt's parse for this warehouse, kept by the two years' build
    parsed = saved.stat().st_mtime_ns
    rebuilt = materialise(defs, instance, raw_dir, years=[2023])
    assert rebuilt.success
    assert saved.stat().st_mtime_ns == parsed  # its dbt steps found nothing to parse again
    assert any("dbt build for 2023: " in entry.user_message for entry in instance.all_logs(rebuilt.run_id))
    # each dbt step's own target folder is gone once the step has read it
    assert not list(dbt_manifest.parent.glob(f"dbt_*-{rebuilt.run_id[:8]}-*"))
    after, mart_after = (
        _rowids_by_year(warehouse),
        _rowids_by_year(warehouse, MART),
    )
    assert {year: after[year] for year in (2021, 2022)} == before
    assert {year: mart_after[year] for year in (2021, 2022)} == mart_before
    assert after[2023] and mart_after[2023]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        years = conn.execute(
            "select list(distinct year order by year) from marts.mart_bloc_trade_annual "
            "where bloc_code = 'CJK'"
        ).fetchone()[0]
    assert years == [2021, 2022, 2023]
    published = [event.asset_key for event in rebuilt.get_asset_materialization_events()]
    assert dg.AssetKey(["serving", "published_marts"]) in published


@pytest.mark.e2e
def test_a_year_without_files_is_built_empty_and_says_so(defs, two_years_built):
    """Materialising a year the raw folder holds no file of: every yearly model reports 0
    rows and names the year, and the run warns, so an empty partition never looks like data."""
    raw_dir, _, _, instance, _ = two_years_built
    result = materialise(defs, instance, raw_dir, years=[2019])
    assert result.success
    counts = _row_counts(result)
    assert counts["marts/fct_trade"] == {"2019": (0, "2019")}
    assert counts["marts/mart_bloc_trade_annual"] == {"2019": (0, "2019")}
    warnings = [
        entry.user_message for entry in instance.all_logs(result.run_id) if entry.level >= logging.WARNING
    ]
    assert any(
        message.startswith("No trade flows for 2019: marts.fct_trade has no row") for message in warnings
    )
