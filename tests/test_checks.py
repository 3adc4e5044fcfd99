"""Invariants as Dagster asset checks: they exist, and a failure blocks what is downstream."""

import json

import dagster as dg
import duckdb
import pytest

from dagster_project.assets.checks import LEDGER_CHECK
from dagster_project.assets.landing import table_key
from dagster_project.landing import SOURCE_KINDS

pytestmark = pytest.mark.e2e

PUBLISHED = dg.AssetKey(["serving", "published_marts"])
# Coverage of the downloads: reported, never blocking (docs/reliability.md).
WARNINGS = {
    "cif_fob_ratio_in_usual_range",
    "assert_comtrade_world_equals_partner_sum",
    "assert_every_reported_year_reaches_fct_trade",
    "assert_dim_product_covers_every_traded_hs6",
}


def _check_specs(defs) -> list[dg.AssetCheckSpec]:
    graph = defs.resolve_asset_graph()
    return [graph.get_check_spec(key) for key in graph.asset_check_keys]


def test_every_mart_has_blocking_checks(defs):
    specs = _check_specs(defs)
    graph = defs.resolve_asset_graph()
    marts = [key for key in graph.get_all_asset_keys() if key.path[0] == "marts"]
    checked = {spec.asset_key for spec in specs}
    assert set(marts) <= checked, f"marts without checks: {set(marts) - checked}"
    # dagster-dbt makes error-severity tests blocking; the warning ones are not
    for spec in specs:
        if spec.name in WARNINGS:
            assert not spec.blocking, spec.key
        elif spec.asset_key.path[0] == "marts" and spec.name.startswith(("not_null", "unique")):
            assert spec.blocking, spec.key


def test_every_raw_table_has_the_ledger_check(defs):
    keys = {spec.key for spec in _check_specs(defs)}
    for table in (table for kind in SOURCE_KINDS for table in kind.tables):
        assert dg.AssetCheckKey(table_key(table), LEDGER_CHECK) in keys


def test_every_dbt_test_is_an_asset_check(defs, dbt_manifest):
    """Including the singular tests over several models (they carry a dagster ref) and
    those attached to the yearly models (tests/test_dbt_graph.py)."""
    manifest = json.loads(dbt_manifest.read_text())
    tests = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "test"}
    assert tests <= {spec.name for spec in _check_specs(defs)}


def test_the_cross_model_checks_are_attached_to_their_models(defs):
    names = {(spec.asset_key.path[-1], spec.name) for spec in _check_specs(defs)}
    assert {
        ("fct_trade", "assert_trade_conserved_from_raw_to_fct_trade"),
        ("fct_trade", "assert_every_reported_year_reaches_fct_trade"),
        ("mart_comtrade_coverage", "assert_comtrade_world_equals_partner_sum"),
        ("fct_trade", "assert_dim_product_covers_every_traded_hs6"),
        ("fct_trade_reported", "assert_comtrade_conserved_from_raw_to_fct_trade_reported"),
        ("mart_bloc_trade_annual", "assert_bloc_cjk_members_exports_sum_to_bloc_total"),
    } <= names


def _evaluations(result) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {(e.asset_key.path[-1], e.check_name): e for e in result.get_asset_check_evaluations()}


def _materialised(result) -> set[dg.AssetKey]:
    return {e.asset_key for e in result.get_asset_materialization_events()}


# The failure tests build only the assets in play (and the serving copy), on a copy of
# the built sample: dbt runs those models and their tests, not the whole project.
BACI_TO_SERVING = "key:raw/baci_flows or key:staging/stg_baci__flows or key:marts/fct_trade or key:serving/*"


def test_a_second_release_of_a_baci_year_fails_its_check_and_blocks_downstream(built_copy, build):
    """Two BACI releases of the same year (a common download mistake) both land, as
    different files; the staging uniqueness check fails with the duplicated flows as
    its failing rows, and nothing downstream is built or published."""
    raw_dir, warehouse = built_copy
    first = sorted((raw_dir / "baci").glob("BACI_*_Y2020_*.csv"))[0]
    lines = first.read_text().splitlines(keepends=True)
    head, *fields = lines[1].rstrip("\n").split(",")
    fields[3] = str(float(fields[3]) + 1.0)
    older_release = first.with_name(first.name.replace("_V2025", "_V2024"))
    assert older_release != first
    older_release.write_text("".join([lines[0], ",".join([head, *fields]) + "\n", *lines[2:]]))
    result = build(raw_dir, warehouse, years=[2020], select=BACI_TO_SERVING)

    assert not result.success
    [failed] = [
        e
        for (model, name), e in _evaluations(result).items()
        if model == "stg_baci__flows" and name.startswith("unique_combination_of_columns")
    ]
    assert not failed.passed
    assert failed.metadata["dagster_dbt/failed_row_count"].value > 0
    assert "| year | exporter_code |" in failed.metadata["failing_rows_sample"].value
    built = _materialised(result)
    assert dg.AssetKey(["staging", "stg_baci__flows"]) in built
    for blocked in (["marts", "fct_trade"], PUBLISHED.path):
        assert dg.AssetKey(blocked) not in built, blocked
    assert not (warehouse.parent / "serving").exists()


def test_rows_outside_the_ledger_fail_its_check_and_block_what_reads_them(built_copy, build):
    raw_dir, warehouse = built_copy
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "insert into raw.baci_flows select t, i, j, k, v, q, 'baci/stray.csv', 2 "
            "from raw.baci_flows limit 1"
        )
    result = build(raw_dir, warehouse, years=[2023], select=BACI_TO_SERVING)

    assert not result.success
    check = _evaluations(result)[("baci_flows", LEDGER_CHECK)]
    assert not check.passed
    assert "baci/stray.csv" in check.metadata["offenders"].value
    built = _materialised(result)
    for blocked in (["staging", "stg_baci__flows"], ["marts", "fct_trade"], PUBLISHED.path):
        assert dg.AssetKey(blocked) not in built, blocked
    assert not (warehouse.parent / "serving").exists()


def test_a_failing_relationship_check_stops_the_publish(built_copy, build):
    """A dimension that lacks a country the facts hold (here: deleted by hand, then a
    rebuild of 2023 only, which does not rebuild the dimensions): the relationship
    test of fct_trade fails in the yearly step, and nothing after it is published."""
    raw_dir, warehouse = built_copy
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from marts.dim_country where iso3 = 'KOR'")
    result = build(raw_dir, warehouse, years=[2023], select="key:marts/fct_trade or key:serving/*")

    assert not result.success
    failed = {
        name for (model, name), e in _evaluations(result).items() if model == "fct_trade" and not e.passed
    }
    assert any(name.startswith("relationships_fct_trade_exporter_iso3") for name in failed), failed
    assert PUBLISHED not in _materialised(result)
    assert not (warehouse.parent / "serving").exists()
