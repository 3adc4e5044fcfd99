"""Yearly partitions, the build's order, and the raw-folder sensor."""

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from dagster_project.assets.partitions import YEARS_TAG, tagged_years
from dagster_project.build import BuildPlan
from dagster_project.landing.years import file_years
from dagster_project.resources import build_args

REPO_RAW = settings.REPO_ROOT / "raw"
NOT_YEARLY = ("hts", "measures", "wdi", "wits")


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


def test_build_args_pass_the_years_as_dbt_vars():
    args = build_args(2021, 2023)
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"year_from": 2021, "year_to": 2023}


def test_the_build_runs_in_dependency_order(defs):
    plan = BuildPlan.of(defs)
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey(["marts", "fct_trade"]) in plan.yearly
    assert dg.AssetKey(["raw", "baci_flows"]) in plan.yearly
    assert dg.AssetKey(["marts", "dim_country"]) in plan.first
    # the metric marts are yearly too (dbt tag yearly): only serving comes after them
    assert dg.AssetKey(["marts", "mart_bloc_trade_annual"]) in plan.yearly
    assert dg.AssetKey(["serving", "published_marts"]) in plan.downstream
    for key in plan.first:  # nothing of the first run reads a later one
        assert not graph.get(key).parent_keys & (plan.yearly | plan.downstream), key
    for key in plan.yearly:
        assert not graph.get(key).parent_keys & plan.downstream, key
    assert [label for label, _, _ in plan.runs([])] == [
        "everything the yearly assets do not feed",
        "everything downstream of the yearly assets",
    ]
    # some years only: no first run, and downstream is told the years
    (_, yearly, _), (_, downstream, tags) = plan.runs([2023, 2024], full=False)
    assert (yearly, downstream) == (plan.yearly, plan.downstream)
    assert tags == {YEARS_TAG: "2023-2024"} and tagged_years(tags) == [2023, 2024]


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


def _run(defs, instance, keys, tags=None) -> dg.ExecuteInProcessResult:
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=instance, asset_selection=sorted(keys), tags=tags or {})
    assert result.success
    return result


@pytest.fixture
def two_years_built(defs, tmp_path, monkeypatch):
    """2021 and 2022 landed and built (the three runs of a build), 2023's files ready."""
    raw_dir, warehouse = tmp_path / "raw", tmp_path / "warehouse" / "tradebloc.duckdb"
    _raw_with_years(raw_dir, [2021, 2022, 2023])
    held_back = tmp_path / "held_back"
    held_back.mkdir()
    for path in [*raw_dir.glob("comtrade/*"), *raw_dir.glob("baci/*")]:
        if file_years(path) == {2023}:
            shutil.move(path, held_back / path.name)
    monkeypatch.setenv(settings.RAW_DIR_VAR, str(raw_dir))
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(warehouse))
    instance = dg.DagsterInstance.ephemeral()
    plan = BuildPlan.of(defs)
    for _, keys, tags in plan.runs([2021, 2022]):
        _run(defs, instance, keys, tags)
    return raw_dir, warehouse, held_back, instance, plan


def _rowids_by_year(warehouse: Path, table: str = "marts.fct_trade") -> dict[int, list[int]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        sql = f"select year, list(rowid order by rowid) from {table} group by year"
        return dict(conn.execute(sql).fetchall())


@pytest.mark.e2e
def test_a_third_year_touches_only_its_year(defs, two_years_built, caplog):
    raw_dir, warehouse, held_back, instance, plan = two_years_built
    before = _rowids_by_year(warehouse)
    assert set(before) == {2021, 2022}
    mart = "marts.mart_intra_industry_trade"
    mart_before = _rowids_by_year(warehouse, mart)
    assert set(mart_before) == {2021, 2022}
    for path in held_back.iterdir():
        kind = "baci" if path.name.startswith("BACI") else "comtrade"
        shutil.move(path, raw_dir / kind / path.name)

    (_, yearly, tags), (_, downstream, downstream_tags) = plan.runs([2023], full=False)
    assert (yearly, downstream) == (plan.yearly, plan.downstream)
    with caplog.at_level("INFO"):
        third = _run(defs, instance, yearly, tags)

    # landing: only 2023's files
    landed = [
        event.step_materialization_data.materialization.metadata["files"].value
        for event in third.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey(["raw", "baci_flows"])
    ]
    assert "Y2023" in landed[0] and "Y2021" not in landed[0] and "Y2022" not in landed[0]
    # dbt: run with the partition's years as vars, and 2021-22's rows untouched
    assert 'dbt build --vars {"year_from": 2023, "year_to": 2023}' in caplog.text
    after = _rowids_by_year(warehouse)
    assert {year: after[year] for year in (2021, 2022)} == before
    assert after[2023]

    # downstream: the marts incremental by year recompute 2023 only
    caplog.clear()
    with caplog.at_level("INFO"):
        rebuilt = _run(defs, instance, downstream, downstream_tags)
    assert 'dbt build --vars {"year_from": 2023, "year_to": 2023}' in caplog.text
    [published] = [
        event.step_materialization_data.materialization.metadata
        for event in rebuilt.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey(["serving", "published_marts"])
    ]
    assert published["years copied"].value == "2023"  # and the serving copy's other years kept
    mart_after = _rowids_by_year(warehouse, mart)
    assert {year: mart_after[year] for year in (2021, 2022)} == mart_before
    assert mart_after[2023]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        years = conn.execute(
            "select list(distinct year order by year) from marts.mart_bloc_trade_annual "
            "where bloc_code = 'CJK'"
        ).fetchone()[0]
    assert years == [2021, 2022, 2023]


def _evaluate(defs, instance, cursor=None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
    return defs.resolve_sensor_def("raw_folder_sensor")(context), context.cursor


@pytest.mark.e2e
def test_the_sensor_requests_one_run_for_a_new_file_and_none_for_unchanged_ones(defs, two_years_built):
    raw_dir, _, held_back, instance, plan = two_years_built
    for path in held_back.iterdir():
        path.unlink()  # the folder holds exactly what is landed

    result, cursor = _evaluate(defs, instance)
    assert isinstance(result, dg.SkipReason), result  # unchanged files: no run

    new = raw_dir / "baci" / "BACI_HS17_Y2023_V202501.csv"
    shutil.copy(REPO_RAW / "baci" / new.name, new)
    result, cursor = _evaluate(defs, instance, cursor)
    assert isinstance(result, dg.RunRequest)
    assert set(result.asset_selection) == plan.yearly
    assert result.tags["dagster/asset_partition_range_start"] == "2023"
    assert result.tags["dagster/asset_partition_range_end"] == "2023"

    again, _ = _evaluate(defs, instance, cursor)  # same files, same request: the same run key
    assert isinstance(again, dg.RunRequest) and again.run_key == result.run_key

    # once the year is built, the marts are rebuilt for that year only
    _run(defs, instance, result.asset_selection, result.tags)
    downstream, _ = _evaluate(defs, instance, cursor)
    assert isinstance(downstream, dg.RunRequest), downstream
    assert set(downstream.asset_selection) == plan.downstream
    assert downstream.tags[YEARS_TAG] == "2023-2023"
