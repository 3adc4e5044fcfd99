"""The Dagster UI in a real browser: Debian's chromium, driven by Playwright.

The webserver opens the Dagster home the sample was built into by the command line
(the run `make run` records, tests/conftest.py), on 127.0.0.1, and the pages a
newcomer opens are checked: the asset graph shows the marts, a bloc mart shows its latest
materialisation with its chart, and its checks. Screenshots are kept under
test-artifacts/ui/. Without chromium the test skips and says why, except where
TRADEBLOC_REQUIRE_BROWSER is set (CI installs chromium and sets it).
"""

import sys

import pytest

from tests.browser import LOCATION, dagster_server, open_page, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def webserver(sample_build, tmp_path_factory):
    """The webserver over the Dagster home the sample was built into by `make run`'s command."""
    log = tmp_path_factory.mktemp("webserver") / "webserver.log"
    command = [sys.executable, "-m", "dagster_webserver", "-m", LOCATION]
    with dagster_server(command, sample_build.env, log) as base:
        yield base


def test_the_asset_graph_shows_the_marts(browser, webserver):
    # the graph draws only the nodes in view (which ones depends on the layout): wait for a
    # node card, any; the list below names the marts
    page = open_page(browser, f"{webserver}/locations/{LOCATION}/asset-groups/marts", "Latest event")
    screenshot(page, "marts-graph.png")
    page.get_by_role("tab", name="List").click()  # every asset of the group, with its status
    for name in ("dim_country", "fct_trade", "mart_bloc_trade_annual", "mart_bloc_tariff_exposure"):
        page.get_by_text(f"marts / {name}", exact=True).first.wait_for(timeout=30_000)
    # the rows' statuses arrive one query at a time: wait up to 30 s for them, then count
    # (the UI's content security policy forbids wait_for_function's evaluated predicate)
    for _ in range(60):
        if page.inner_text("body").count("Materialized") > 5:
            break
        page.wait_for_timeout(500)
    assert page.inner_text("body").count("Materialized") > 5
    screenshot(page, "marts-list.png")
    page.close()


def test_a_bloc_mart_shows_its_latest_materialisation_and_chart(browser, webserver):
    url = f"{webserver}/assets/marts/mart_bloc_trade_annual?view=events"
    page = open_page(browser, url, "chart: intra-bloc export share by year")
    assert page.get_by_text("Materialized in run").count() > 0
    page.get_by_text("Show Markdown").first.click()  # the chart's metadata entry
    chart = page.locator("img[src^='data:image/png;base64']")
    chart.first.wait_for(timeout=30_000)
    assert chart.first.bounding_box()["width"] > 300  # drawn, not a broken image
    screenshot(page, "mart_bloc_trade_annual-chart.png")
    page.close()


def test_a_mart_shows_its_blocking_checks_and_their_results(browser, webserver):
    page = open_page(browser, f"{webserver}/assets/marts/fct_trade?view=checks", "Execute all")
    page.get_by_text("Succeeded").first.wait_for(timeout=60_000)
    html = page.content()
    assert "assert_trade_conserved_from_raw_to_fct_trade" in html
    assert "blocking" in page.inner_text("body")
    screenshot(page, "fct_trade-checks.png")
    page.close()
