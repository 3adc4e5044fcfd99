"""The dashboard (Evidence, dashboard/) built from the sample's serving copy and opened
in a real browser: Debian's chromium, driven by Playwright.

`make dashboard` builds the static site from the serving copy the sample build
published (npm ci the first time); the site is served on 127.0.0.1 and each page is
checked: its charts are drawn, no query error shows, and the bloc page shows the
sample's China-reported exports to Korea in 2023. Screenshots are kept under
test-artifacts/dashboard/. A page query that fails must fail the build. Without node or
chromium the tests skip and say why, except where TRADEBLOC_REQUIRE_BROWSER is set (CI).
"""

import functools
import os
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from dagster_project import settings
from tests.browser import require_tool

DASHBOARD = settings.REPO_ROOT / "dashboard"
ARTIFACTS = settings.REPO_ROOT / "test-artifacts" / "dashboard"
NPM = shutil.which("npm")
# the pages, with the number of charts each draws at least (the home page has none)
PAGES = {"": 0, "bloc": 5, "us-tariffs": 11, "tariff-lookup": 1, "specialisation": 5, "data-quality": 3}
CHART = "div[_echarts_instance_]"
# how Evidence shows a failed query in place of a component: DuckDB's error, by class
QUERY_ERROR = re.compile(
    r"Error in Query|\b(Catalog|Binder|Parser|Conversion|Invalid Input|Out of Range|Not implemented|IO)"
    r" Error\b"
)

pytestmark = pytest.mark.e2e


def _run(command: list[str], cwd, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=1200
    )


@pytest.fixture(scope="module")
def npm_ready():
    """dashboard/node_modules, installed by the Makefile (npm ci) if missing or stale."""
    require_tool(NPM, "no npm is installed (Debian packages `nodejs` and `npm`)")
    done = _run(["make", "dashboard-deps"], settings.REPO_ROOT, {})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def site(sample_build, npm_ready, browser):
    """`make dashboard` on the sample's serving copy, served on a free local port."""
    done = _run(
        ["make", "dashboard"], settings.REPO_ROOT, {settings.WAREHOUSE_VAR: str(sample_build.warehouse)}
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=DASHBOARD / "build"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _open(browser, url: str, charts: int):
    """The page once its charts are drawn (the data loads in the browser's DuckDB)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    drawn = page.locator(f"{CHART} svg, {CHART} canvas")
    for _ in range(120):
        if drawn.count() >= charts:
            break
        page.wait_for_timeout(500)
    page.wait_for_timeout(1000)  # let the last ones finish their animation
    return page


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert (ARTIFACTS / name).stat().st_size > 10_000  # a rendered page, not a blank one


@pytest.mark.parametrize("name", PAGES, ids=lambda name: name or "home")
def test_each_page_draws_its_charts_without_query_errors(browser, site, name):
    page = _open(browser, f"{site}/{name}", PAGES[name])
    containers = page.locator(CHART)
    assert containers.count() >= PAGES[name]
    for i in range(containers.count()):
        assert containers.nth(i).locator("svg, canvas").count() > 0, f"chart {i} of {name} is not drawn"
    text = page.inner_text("body")
    assert not QUERY_ERROR.search(text), QUERY_ERROR.search(text).group(0)
    _screenshot(page, f"{name or 'index'}.png")
    page.close()


def test_the_bloc_page_shows_china_reported_exports_to_korea(browser, site, sample_build):
    parquet = sample_build.warehouse.parent / "serving" / "parquet" / "fct_trade_reported"
    [(value,)] = duckdb.sql(
        f"select value_usd from read_parquet('{parquet}/**/*.parquet', hive_partitioning = true) "
        "where reporter_iso3 = 'CHN' and partner_iso3 = 'KOR' and flow = 'export' "
        "and period_key = '2023' and hs_level = 0"
    ).fetchall()
    page = _open(browser, f"{site}/bloc", PAGES["bloc"])
    # Evidence's usd2b format: dollars, billions, two decimals
    assert f"${value / 1e9:,.2f}B" in page.inner_text("body")
    page.close()


def test_a_page_shows_its_sql_next_to_its_charts(browser, site):
    page = _open(browser, f"{site}/bloc", PAGES["bloc"])
    page.locator("header button").last.click()  # the page menu
    page.get_by_text("Show Queries").click()
    page.get_by_role("button", name="show-sql").nth(1).click()  # chn_kor, above the figure
    page.get_by_text("from tradebloc.reported_totals").first.wait_for(timeout=10_000)
    _screenshot(page, "bloc-queries.png")
    page.close()


def test_a_failing_page_query_fails_the_build(sample_build, npm_ready, tmp_path):
    """A copy of the project whose pages are one good query and one that reads a
    missing table: Evidence's own strict build would log the error and succeed."""
    project = tmp_path / "dashboard"
    project.mkdir()
    for name in ("package.json", "evidence.config.yaml"):
        shutil.copy(DASHBOARD / name, project)
    for folder in ("sources", "scripts"):
        shutil.copytree(DASHBOARD / folder, project / folder)
    (project / "pages").mkdir()
    for page, table in [("index", "trade_coverage"), ("broken", "no_such_table")]:
        (project / "pages" / f"{page}.md").write_text(
            f"# {page}\n\n```sql {page}\nselect * from tradebloc.{table}\n```\n\n"
            f"<DataTable data={{{page}}} />\n"
        )
    (project / "node_modules").symlink_to(DASHBOARD / "node_modules")
    (project / "serving").symlink_to(sample_build.warehouse.parent / "serving")
    env = {"SEND_ANONYMOUS_USAGE_STATS": "no"}
    sources = _run(["npm", "run", "sources"], project, env)
    assert sources.returncode == 0, sources.stdout[-3000:] + sources.stderr[-3000:]
    build = _run(["npm", "run", "build"], project, env)
    output = build.stdout + build.stderr
    assert build.returncode != 0, output[-3000:]
    assert "1 page queries failed" in output
    assert "broken | Error in Query! Catalog Error: Table with name no_such_table does not exist" in output
