"""The Dagster UI in a real browser: Debian's chromium, driven by Playwright.

The webserver opens the Dagster home the sample was built into by the command line
(the run `make run` records, tests/conftest.py), on 127.0.0.1, and the pages a
newcomer opens are checked: the asset graph shows the marts, a bloc mart shows its latest
materialisation with its chart, and its checks. Screenshots are kept under
test-artifacts/ui/. Without chromium the test skips and says why, except where
TRADEBLOC_REQUIRE_BROWSER is set (CI installs chromium and sets it): the `browser`
fixture, tests/conftest.py.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dagster_project import settings

ARTIFACTS = settings.REPO_ROOT / "test-artifacts" / "ui"

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(sample_build):
    """The webserver over the Dagster home the sample was built into by `make run`'s command."""
    env = sample_build.env

    port = _free_port()
    command = [sys.executable, "-m", "dagster_webserver", "-m", "dagster_project.definitions"]
    server = subprocess.Popen(
        [*command, "-h", "127.0.0.1", "-p", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=5):
                    break
            except OSError:
                assert server.poll() is None, "the webserver exited"
                assert time.monotonic() < deadline, "the webserver did not answer within 180 s"
                time.sleep(1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


LOCATION = "dagster_project.definitions"  # the code location `-m dagster_project.definitions` makes


def _open(browser, url: str, wait_for: str):
    """The page once `wait_for` is on it, the UI's first-visit invitation dismissed."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text(wait_for, exact=True).first.wait_for(state="attached", timeout=90_000)
    page.wait_for_timeout(1500)  # let the graph lay itself out
    skip = page.get_by_role("button", name="Skip")
    if skip.count():
        skip.first.click()
    return page


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    assert (ARTIFACTS / name).stat().st_size > 10_000  # a rendered page, not a blank one


def test_the_asset_graph_shows_the_marts(browser, webserver):
    # the graph draws only the nodes in view (which ones depends on the layout): wait for a
    # node card, any; the list below names the marts
    page = _open(browser, f"{webserver}/locations/{LOCATION}/asset-groups/marts", "Latest event")
    _screenshot(page, "marts-graph.png")
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
    _screenshot(page, "marts-list.png")
    page.close()


def test_a_bloc_mart_shows_its_latest_materialisation_and_chart(browser, webserver):
    url = f"{webserver}/assets/marts/mart_bloc_trade_annual?view=events"
    page = _open(browser, url, "chart: intra-bloc export share by year")
    assert page.get_by_text("Materialized in run").count() > 0
    page.get_by_text("Show Markdown").first.click()  # the chart's metadata entry
    chart = page.locator("img[src^='data:image/png;base64']")
    chart.first.wait_for(timeout=30_000)
    assert chart.first.bounding_box()["width"] > 300  # drawn, not a broken image
    _screenshot(page, "mart_bloc_trade_annual-chart.png")
    page.close()


def test_a_mart_shows_its_blocking_checks_and_their_results(browser, webserver):
    page = _open(browser, f"{webserver}/assets/marts/fct_trade?view=checks", "Execute all")
    page.get_by_text("Succeeded").first.wait_for(timeout=60_000)
    html = page.content()
    assert "assert_trade_conserved_from_raw_to_fct_trade" in html
    assert "blocking" in page.inner_text("body")
    _screenshot(page, "fct_trade-checks.png")
    page.close()
