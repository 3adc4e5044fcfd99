"""The publishers' real downloads (tests/data/real, see its README) built end to end
through Dagster, as `TRADEBLOC_RAW_DIR=tests/data/real make run` builds them; and a
partial Comtrade download, as most people make them, which builds with warnings."""

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dagster_project import settings
from dagster_project.run import failed_checks
from tests import us_tariff_cases

pytestmark = pytest.mark.e2e

REAL = settings.REPO_ROOT / "tests" / "data" / "real"
COMTRADE = REAL / "comtrade" / "TradeData_156_CHN_M_842_8542_2010-2024.csv"


@pytest.fixture(scope="module")
def real(build, tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(REAL, root / "raw")
    warehouse = root / "warehouse" / "tradebloc.duckdb"
    result = build(root / "raw", warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        yield result, conn


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_real_downloads_build_and_quarantine_nothing(real):
    result, conn = real
    assert result.success and not failed_checks(result)
    assert conn.execute("select count(*) from raw._quarantine").fetchone() == (0,)
    failed = conn.execute("select path, message from raw._landing_ledger where status = 'failed'").fetchall()
    assert failed == []
    assert conn.execute("select count(*) from raw.hts_tariff_lines").fetchone() == (35_940,)
    [metadata] = (REAL / "wdi").glob("Metadata_Country_*.csv")
    economies = {row["Country Code"] for row in _csv_rows(metadata)}
    landed = {
        code for (code,) in conn.execute('select "Country Code" from raw.wdi_country_metadata').fetchall()
    }
    assert landed == economies and len(economies) > 250


def test_fct_trade_2023_equals_the_baci_file_to_the_dollar(real):
    _, conn = real
    # BACI values are thousands of US dollars (CEPII's BACI documentation)
    rows = _csv_rows(REAL / "baci" / "BACI_HS22_Y2023_V202501.csv")
    expected = sum(float(row["v"]) for row in rows) * 1000
    (total, flows) = conn.execute(
        "select sum(value_usd), count(*) from marts.fct_trade where year = 2023"
    ).fetchone()
    assert flows == len(rows)
    assert abs(total - expected) < 1.0


def test_chinas_chip_imports_from_the_usa_reach_fct_trade_reported_once_a_year(real):
    """One row a year, 2010-2024, with the value of the file's total row: the
    partner2 breakdown of 2015-2017 (summing it doubles the value) is left out."""
    _, conn = real
    totals, every_row = {}, defaultdict(float)
    for row in _csv_rows(COMTRADE):
        year, value = int(row["refYear"]), float(row["primaryValue"])
        every_row[year] += value
        if row["partner2Code"] == "0":
            totals[year] = value
    reported = dict(
        conn.execute(
            """
            select year, value_usd from marts.fct_trade_reported
            where reporter_iso3 = 'CHN' and partner_iso3 = 'USA' and flow = 'import' and hs_code = '8542'
            """
        ).fetchall()
    )
    assert sorted(reported) == list(range(2010, 2025))
    assert reported == pytest.approx(totals, rel=1e-12)
    assert every_row[2016] > 1.9 * reported[2016]  # what a naive sum would have given


def test_a_partial_comtrade_download_builds_with_coverage_warnings(build, tmp_path):
    """World and two of Australia's partners, two years: the partners do not add up
    to World, which a download by partner never does. Warned, not failed. A file of
    another source that cannot be landed fails its landing check, naming the file and
    why; it does not stop the Comtrade rows from reaching the marts."""
    rows = [
        row
        for row in _csv_rows(settings.REPO_ROOT / "raw" / "comtrade" / "TradeData_36_AUS_A_2015-2025.csv")
        if row["refYear"] in ("2023", "2024") and row["partnerCode"] in ("0", "156", "410")
    ]
    partial = tmp_path / "raw" / "comtrade" / "TradeData_36_AUS_A_2023-2024.csv"
    partial.parent.mkdir(parents=True)
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    broken = tmp_path / "raw" / "hts" / "hts_export.csv"
    broken.parent.mkdir()
    broken.write_text("Heading,Text\n8703,Motor cars\n", encoding="utf-8")
    result = build(tmp_path / "raw", tmp_path / "warehouse" / "tradebloc.duckdb")

    assert result.success
    [failed] = failed_checks(result)
    assert failed.check_name == "every_file_landed"
    assert failed.description.startswith("hts/hts_export.csv") and "header" in failed.description
    warned = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert "assert_comtrade_world_equals_partner_sum" in warned
    with duckdb.connect(str(tmp_path / "warehouse" / "tradebloc.duckdb"), read_only=True) as conn:
        gaps = conn.execute(
            "select count(*) from marts.mart_comtrade_coverage where not is_partner_sum_complete"
        ).fetchone()[0]
        reported = conn.execute("select count(*) from marts.fct_trade_reported").fetchone()[0]
    assert gaps > 0 and reported > 0


def test_the_us_schedule_reproduces_every_cjk_case_of_the_validation_table(real):
    # the real HTS, every line for China, Japan and Korea (the real BACI extract has no
    # other exporter to the USA: their cases are checked on the sample, test_end_to_end)
    _, conn = real
    covered, wrong = us_tariff_cases.compare(conn)
    assert covered == us_tariff_cases.case_ids("exporter_iso3 in ('CHN', 'JPN', 'KOR')")
    assert len(covered) >= 25 and wrong == []


def test_the_us_schedule_is_the_same_when_built_again(real, tmp_path):
    # the real HTS has lines under two measures of one programme, same precedence and rate
    # (the Section 232 auto and truck parts lists): the model breaks such ties by measure id
    _, conn = real
    [(first,)] = conn.execute(
        "select file from pragma_database_list where name = current_database()"
    ).fetchall()
    rows, first_rows, only_again, only_first = us_tariff_cases.build_again(Path(first), tmp_path)
    assert rows == first_rows > 0
    assert (only_again, only_first) == (0, 0)
