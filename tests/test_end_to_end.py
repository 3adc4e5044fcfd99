"""The committed sample, landed and built through Dagster into a temporary warehouse."""

import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from dagster_project.assets.partitions import raw_years
from dagster_project.landing import SOURCE_KINDS
from dagster_project.landing.loader import source_files
from tests import us_tariff_cases

REPO_RAW = settings.REPO_ROOT / "raw"

pytestmark = pytest.mark.e2e


def test_every_sample_file_lands_without_quarantine(sample_db):
    expected = {
        path.relative_to(REPO_RAW).as_posix()
        for kind in SOURCE_KINDS
        for path in source_files(REPO_RAW, kind)
    }
    landed = dict(sample_db.execute("select path, status from raw._landing_ledger").fetchall())
    assert set(landed) == expected
    assert set(landed.values()) == {"landed"}
    assert sample_db.execute("select count(*) from raw._quarantine").fetchone()[0] == 0


def test_every_source_kind_is_in_the_sample():
    for kind in SOURCE_KINDS:
        assert source_files(REPO_RAW, kind), f"no sample file under raw/{kind.name}/"


def test_ledger_reconciles_with_raw_tables(sample_db):
    rows = sample_db.execute(
        "select path, raw_table, rows_read, rows_loaded, rows_quarantined, format "
        "from raw._landing_ledger where status = 'landed'"
    ).fetchall()
    for path, table, read, loaded, quarantined, fmt in rows:
        assert read == loaded + quarantined, path
        if fmt == "wdi_indicator_csv":  # wide rows become one row per year with a value
            held = sample_db.execute(
                f"select count(distinct _line_number) from raw.{table} where _source_file = ?", [path]
            ).fetchone()[0]
        else:
            held = sample_db.execute(
                f"select count(*) from raw.{table} where _source_file = ?", [path]
            ).fetchone()[0]
        assert held <= loaded and (fmt == "wdi_indicator_csv" or held == loaded), path


def test_every_staging_view_is_built(sample_db):
    views = [
        name
        for (name,) in sample_db.execute(
            "select table_name from information_schema.tables where table_schema = 'staging'"
        ).fetchall()
    ]
    assert len(views) >= sum(len(kind.tables) for kind in SOURCE_KINDS)
    for name in views:
        assert sample_db.execute(f"select count(*) from staging.{name}").fetchone()[0] > 0, name


def test_baci_values_are_converted_to_usd_and_kg(sample_db):
    raw_v, raw_q = sample_db.execute("select sum(v), sum(q) from raw.baci_flows").fetchone()
    usd, kg = sample_db.execute(
        "select sum(value_usd), sum(net_weight_kg) from staging.stg_baci__flows"
    ).fetchone()
    assert usd == pytest.approx(raw_v * 1000, rel=1e-12)
    assert kg == pytest.approx(raw_q * 1000, rel=1e-12)


def test_comtrade_staging_keeps_only_breakdown_totals(sample_db):
    (breakdowns,) = sample_db.execute(
        """
        select count(*) from raw.comtrade_flows
        where coalesce("partner2Code", 0) != 0 or coalesce("customsCode", 'C00') != 'C00'
           or coalesce("mosCode", '0') != '0' or coalesce("motCode", 0) != 0
        """
    ).fetchone()
    assert breakdowns > 0, "the sample should exercise breakdown rows"
    (world,) = sample_db.execute(
        "select count(*) from staging.stg_comtrade__flows where partner_code = 0"
    ).fetchone()
    assert world == 0


def test_make_run_shows_a_line_per_asset_and_records_one_run(sample_build):
    """What `python -m dagster_project run` (what `make run` calls) printed building the
    sample: a line per asset with its row count, dbt's counts, the checks that warned,
    the summary, the log file it names; and the one run, in the Dagster home `make ui` opens."""
    output = sample_build.output
    lines = output.splitlines()
    assert len(lines) <= 150, output
    assert any(line.startswith("✓ marts/fct_trade ") and line.endswith(" rows") for line in lines)
    assert any(line.startswith("✓ raw/baci_flows ") for line in lines)
    # the two dbt sets: the unpartitioned one, then the yearly one for the years held
    dbt_lines = [line.strip() for line in lines if line.strip().startswith("dbt build")]
    years = raw_years(settings.REPO_ROOT / "raw")
    expected = ["dbt build", f"dbt build for {years[0]}-{years[-1]}"]
    assert [line.split(":")[0] for line in dbt_lines] == expected, dbt_lines
    assert "Marts (rows):" in output and "marts.fct_trade_reported" in output
    log = Path(re.search(r"Full log: (\S+)", output).group(1))
    text = log.read_text()
    assert "STEP_SUCCESS" in text and "emitted no result" not in text and "DEBUG" not in output
    with dg.DagsterInstance.from_config(str(sample_build.dagster_home)) as instance:
        [run] = instance.get_runs()
        checks = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    assert run.status == dg.DagsterRunStatus.SUCCESS
    # a clean sample is green: every check ran, none failed or warned
    evaluations = [record.event_log_entry.dagster_event.event_specific_data for record in checks.records]
    assert len(evaluations) > 300
    assert [e.check_name for e in evaluations if not e.passed] == []


def test_landing_again_changes_nothing(build, sample_build, tmp_path):
    """Idempotent: landing the same files again lands nothing new."""
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as conn:
        before = conn.execute("select count(*), max(event_id) from raw._landing_ledger").fetchone()
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(sample_build.warehouse.read_bytes())
    result = build(sample_build.raw_dir, copy, select="group:landing")
    assert result.success
    with duckdb.connect(str(copy), read_only=True) as conn:
        after = conn.execute("select count(*), max(event_id) from raw._landing_ledger").fetchone()
    assert after == before


# Published 2023 figures (shared/reference/facts/headline_2023.csv) that the sample
# reproduces exactly: (exporter, importer) -> (exporter's report, importer's report).
CALIBRATED_2023 = {
    ("CHN", "KOR"): (148_980_000_000.00, 142_800_000_000.00),
    ("KOR", "CHN"): (124_800_000_000.00, None),
    ("KOR", "USA"): (115_720_000_000.00, 116_200_000_000.00),
    ("CHN", "USA"): (None, 427_200_000_000.00),
    ("USA", "CHN"): (147_800_000_000.00, None),
    ("USA", "KOR"): (64_800_000_000.00, None),
}


@pytest.mark.parametrize(
    ("pair", "expected"),
    CALIBRATED_2023.items(),
    ids=lambda v: "-".join(v) if isinstance(v, tuple) and isinstance(v[0], str) else "",
)
def test_2023_calibration_comes_out_of_fct_trade_on_both_sides(sample_db, pair, expected):
    exported, imported = sample_db.execute(
        """
        select round(sum(exporter_reported_value_usd), 2), round(sum(importer_reported_value_usd), 2)
        from marts.fct_trade where period_key = '2023' and exporter_iso3 = ? and importer_iso3 = ?
        """,
        list(pair),
    ).fetchone()
    if expected[0] is not None:
        assert exported == expected[0]
    if expected[1] is not None:
        assert imported == expected[1]


def test_korea_world_totals_and_us_balance(sample_db):
    world = dict(
        sample_db.execute(
            "select flow_code, value_usd from staging.stg_comtrade__world_totals "
            "where reporter_iso = 'KOR' and period = '2023' and hs_code = 'TOTAL'"
        ).fetchall()
    )
    assert world == {"X": 632_700_000_000.00, "M": 642_700_000_000.00}
    (balance,) = sample_db.execute(
        """
        select round(sum(case when exporter_iso3 = 'USA' then exporter_reported_value_usd
                              else -importer_reported_value_usd end), 2)
        from marts.fct_trade where period_key = '2023'
          and (exporter_iso3, importer_iso3) in (('USA', 'KOR'), ('KOR', 'USA'))
        """
    ).fetchone()
    assert balance == -51_400_000_000.00


def _readme_result(sample_db, readme_queries, phrase: str) -> list[tuple]:
    """The rows of the one README query that contains `phrase`."""
    [query] = [q for q in readme_queries if phrase in q]
    return sample_db.execute(query).fetchall()


def test_readme_example_queries_run_and_return_what_they_say(sample_db, readme_queries):
    assert len(readme_queries) >= 8
    assert all(sample_db.execute(query).fetchall() for query in readme_queries)
    [china_korea] = _readme_result(sample_db, readme_queries, "as exporter_reported_bn")
    assert china_korea[:4] == ("CHN", "KOR", 148.98, 142.8)
    korea = _readme_result(sample_db, readme_queries, "from marts.fct_trade_reported")
    assert ("export", "WLD", 632.7) in korea
    reach = _readme_result(sample_db, readme_queries, "from marts.mart_landing_reach")
    reach = {source: counts for source, *counts in reach}
    landed, reported, into_fct_trade, breakdown, _ = reach["comtrade"]
    assert landed >= reported + breakdown and reported >= into_fct_trade > 0
    cars = _readme_result(sample_db, readme_queries, "as car_exports_to_us_bn")
    assert any(row[0] == "2025-01" for row in cars)
    assert all(row[3] == 0 for row in cars if row[0] == "2025-01")
    assert any(row[3] > 0 for row in cars if row[0] == "2025-05")


def test_readme_metric_queries_return_what_they_say(sample_db, readme_queries):
    gdp = _readme_result(sample_db, readme_queries, "as combined_gdp_trillion_usd")
    assert gdp == [(2023, 23.58, 3)]
    shares = _readme_result(sample_db, readme_queries, "as intra_bloc_export_share")
    rcep_years = sorted(year for year, bloc, _ in shares if bloc == "RCEP")
    assert rcep_years[0] == 2022 and all(0 <= share <= 1 for *_, share in shares)
    # 2025 falls back to Comtrade: fewer pairs, world exports down 12%, flat like for like
    coverage = _readme_result(sample_db, readme_queries, "as world_exports_change_like_for_like")
    coverage = {row[0]: row[1:] for row in coverage}
    assert coverage[2024][:3] == ("baci", False, 30) and coverage[2024][4] == 1.0
    source, is_fallback, reporters, missing, world_share, world_bn, change_like_for_like = coverage[2025]
    assert (source, is_fallback, reporters, missing) == ("comtrade", True, 29, "TWN")
    assert 0.8 < world_share < 0.9 and world_bn < 0.9 * coverage[2024][5] and abs(change_like_for_like) < 0.01
    # 2025 observes no intra-EU pair: EU27's intra-bloc share is unknown, not 0
    same_pairs = _readme_result(sample_db, readme_queries, "as intra_share_same_pairs")
    same_pairs = {(bloc, year): row for bloc, year, *row in same_pairs}
    assert same_pairs["EU27", 2025] == ["comtrade", 0, None, None, None]
    assert same_pairs["EU27", 2024][1] == 1 and same_pairs["EU27", 2024][2] > 0.1
    assert same_pairs["CJK", 2025][:2] == ["comtrade", 1]
    # BACI years: every 2024 pair is in 2025's comparison, so 2024's share is the year before's
    assert same_pairs["CJK", 2025][3] == same_pairs["CJK", 2024][2]
    exposure = _readme_result(sample_db, readme_queries, "as exposure_bn")
    before = [row for row in exposure if row[1] < "2025-04"]
    after = [row for row in exposure if "2025-05" <= row[1] <= "2025-08"]
    assert before and all(row[3] == 0 and row[5] == 0 for row in before)
    # 25% on cars and listed parts, the 10% reciprocal duty on the sector's other lines
    assert after and all(row[3] == 1 and 20 < row[4] <= 25 for row in after)
    # then the deals: 15% inclusive of MFN (2.5 on cars) for Japan from 2025-09-16, Korea from 2025-11-01
    late = {(row[0], row[1]): row[4] for row in exposure if row[1] >= "2025-11"}
    assert late == {
        ("JPN", "2025-11"): 12.5,
        ("JPN", "2025-12"): 12.5,
        ("KOR", "2025-11"): 15,
        ("KOR", "2025-12"): 15,
    }


def test_the_us_schedule_reproduces_the_other_exporters_cases_of_the_validation_table(sample_db):
    # the sample's synthetic HTS has the real rates on these lines, and its trade ships each
    # case's HS6 to the US (Hong Kong's and Mexico's toys are flows the generator lists);
    # its CJK lines have synthetic HTS10 codes: their cases are checked on the real HTS
    covered, wrong = us_tariff_cases.compare(sample_db)
    others = us_tariff_cases.case_ids("exporter_iso3 not in ('CHN', 'JPN', 'KOR')")
    assert others - covered == set()
    assert [case for case in wrong if case[0] in others] == []
