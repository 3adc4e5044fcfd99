"""What the browser tests share: Debian's chromium driven by Playwright, a free port,
a Dagster server started and waited for, and screenshots under test-artifacts/ui/.

Without chromium a browser test skips and says why, except where
TRADEBLOC_REQUIRE_BROWSER is set (CI installs chromium and sets it).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dagster_project import settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = settings.REPO_ROOT / "test-artifacts" / "ui"
LOCATION = "dagster_project.definitions"  # the code location `-m dagster_project.definitions` makes
# Flags for a headless chromium on a machine with a closed network, as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_tool(found: object, missing: str) -> None:
    """Skip a browser test where a tool is missing and say why; fail instead where
    TRADEBLOC_REQUIRE_BROWSER is set (CI installs the tools and sets it)."""
    if not found:
        if os.environ.get("TRADEBLOC_REQUIRE_BROWSER"):
            pytest.fail(f"TRADEBLOC_REQUIRE_BROWSER is set but {missing}")
        pytest.skip(f"{missing}; .ci/run installs it")


@contextlib.contextmanager
def chromium() -> Iterator:
    require_tool(CHROMIUM, "no chromium is installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def dagster_server(command: list[str], env: dict[str, str], log: Path, timeout: float = 180) -> Iterator[str]:
    """`command` (a Dagster webserver, or `dagster dev`) with `-h 127.0.0.1 -p <port>` added,
    in a process group of its own (dagster dev starts a daemon, a code server and the
    runs' processes: all of them end with it); yields its base URL once it answers."""
    port = free_port()
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [*command, "-h", "127.0.0.1", "-p", str(port)],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=5):
                    break
            except OSError:
                assert server.poll() is None, f"the Dagster server exited; see {log}"
                assert time.monotonic() < deadline, (
                    f"the Dagster server did not answer within {timeout:.0f} s"
                )
                time.sleep(1)
        yield base
    finally:
        _end_group(server)


def _end_group(server: subprocess.Popen) -> None:
    """SIGTERM to the group, then SIGKILL: dagster dev can wait on its children for long."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=wait)
            break
    with contextlib.suppress(ProcessLookupError):  # children that outlived the leader
        os.killpg(server.pid, signal.SIGKILL)


def open_page(browser, url: str, wait_for: str):
    """The page once `wait_for` is on it, the UI's first-visit invitation dismissed."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text(wait_for, exact=True).first.wait_for(state="attached", timeout=90_000)
    page.wait_for_timeout(1500)  # let the graph lay itself out
    skip = page.get_by_role("button", name="Skip")
    if skip.count():
        skip.first.click()
    return page


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    assert (ARTIFACTS / name).stat().st_size > 10_000  # a rendered page, not a blank one


def wait_for_text(page, text: str, timeout: float = 60) -> str:
    """The page's text once it holds `text` (the UI's content security policy forbids
    wait_for_function's evaluated predicate, so poll the text)."""
    deadline = time.monotonic() + timeout
    while text not in (body := page.inner_text("body")):
        assert time.monotonic() < deadline, f"{text!r} not on {page.url} within {timeout:.0f} s"
        page.wait_for_timeout(500)
    return body
