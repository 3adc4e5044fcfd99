"""Shared fixtures: the dbt manifest, and the sample built once per session.

The sample is built once, by `python -m dagster_project run` (what `make run` runs)
into a temporary warehouse and a Dagster home of its own; the tests read it (or a
copy of it, for a test that writes), and the UI test opens that Dagster home. Every
test that writes uses pytest's temporary folders: never the repo's raw/ or warehouse/.

`make test` runs the tests on three processes (pytest-xdist; most of the time a
process waits on a browser, a server or a subprocess, so three keep two cores busy).
The sample build is shared by all of them: the first to need it builds it, under a
file lock, and the others read it. The tests of a module that sets up something of
its own (a server, a site, a build of other raw files) stay on one process, so it is
set up once; those groups run first, the longest first, so none is left for last.
"""

import dataclasses
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from filelock import FileLock

from dagster_project import settings
from dagster_project.run import materialise

REPO_RAW = settings.REPO_ROOT / "raw"
# The groups, by a module-scoped fixture of theirs, in the order they start: the
# longest first (measured with `pytest --durations`).
GROUPS = {
    "journey": "journey",  # dagster dev, from an empty warehouse
    "npm_ready": "dashboard",  # npm, and two Evidence builds
    "two_years_built": "partitions",
    "real": "real",
    "webserver": "ui",
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Keep the tests sharing a module's set-up on one xdist worker, those groups first."""
    for item in items:
        if group := next((g for fixture, g in GROUPS.items() if fixture in item.fixturenames), None):
            item.add_marker(pytest.mark.xdist_group(group))
    rank = {group: i for i, group in enumerate(GROUPS.values())}

    def start(item) -> int:  # then the benchmark's minutes of pipeline runs, then the rest
        return rank.get(_group(item), len(rank) + (not item.get_closest_marker("benchmark")))

    items[:] = sorted(items, key=start)  # stable: the collection order within a rank


def _group(item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    return marker.args[0] if marker else None


def pytest_collection_finish(session):
    """Fail loudly where xdist no longer groups (it tags a grouped test's node id)."""
    grouped = [item for item in session.items if item.get_closest_marker("xdist_group")]
    if getattr(session.config.option, "loadgroup", False) and any("@" not in i.nodeid for i in grouped):
        raise pytest.UsageError("pytest-xdist did not group the tests sharing a set-up (pyproject.toml)")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless (tests/browser.py)."""
    from tests.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """The manifest the definitions load, as `make run` prepares it."""
    from dagster_project.resources import DBT_PROJECT, prepare_dbt

    prepare_dbt()
    return DBT_PROJECT.manifest_path


@pytest.fixture(scope="session")
def defs(dbt_manifest) -> dg.Definitions:
    from dagster_project.definitions import defs

    return defs()


@pytest.fixture(scope="session")
def build(defs):
    """build(raw_dir, warehouse, years=..., select=...): one run in process, as `make run`
    builds, against the given raw folder and warehouse, in an instance in memory."""

    def run(raw_dir: Path, warehouse: Path, **options) -> dg.ExecuteInProcessResult:
        with pytest.MonkeyPatch.context() as env:
            env.setenv(settings.RAW_DIR_VAR, str(raw_dir))
            env.setenv(settings.WAREHOUSE_VAR, str(warehouse))
            return materialise(defs, dg.DagsterInstance.ephemeral(), raw_dir, **options)

    return run


@dataclass(frozen=True)
class SampleBuild:
    raw_dir: Path
    warehouse: Path
    dagster_home: Path
    output: str  # what `make run` printed

    @property
    def env(self) -> dict[str, str]:
        return {
            settings.RAW_DIR_VAR: str(self.raw_dir),
            settings.WAREHOUSE_VAR: str(self.warehouse),
            "DAGSTER_HOME": str(self.dagster_home),
        }


@pytest.fixture(scope="session")
def sample_build(dbt_manifest, tmp_path_factory) -> SampleBuild:
    """The committed sample, copied to a temp raw folder and built by the command line,
    once for all the xdist workers (their temp folders share a parent)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "sample"
    sample = SampleBuild(root / "raw", root / "warehouse" / "tradebloc.duckdb", root / "dagster_home", "")
    printed = root / "make-run-output.txt"  # written last: the build is complete
    with FileLock(f"{root}.lock"):
        if not printed.exists():
            shutil.rmtree(root, ignore_errors=True)  # a build that failed part-way
            shutil.copytree(REPO_RAW, sample.raw_dir)
            sample.dagster_home.mkdir()
            shutil.copy(settings.REPO_ROOT / "dagster_home" / "dagster.yaml", sample.dagster_home)
            done = subprocess.run(
                [sys.executable, "-m", "dagster_project", "run"],
                env={**os.environ, **sample.env},
                capture_output=True,
                text=True,
                timeout=1200,
            )
            assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
            printed.write_text(done.stdout)
    return dataclasses.replace(sample, output=printed.read_text())


@pytest.fixture(scope="session")
def sample_warehouse(sample_build) -> Path:
    return sample_build.warehouse


@pytest.fixture
def sample_db(sample_warehouse):
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        yield conn


@pytest.fixture
def built_copy(sample_build, tmp_path):
    """A copy of the built sample warehouse and of the sample's raw folder, for a test that writes."""
    raw_dir = tmp_path / "raw"
    shutil.copytree(sample_build.raw_dir, raw_dir)
    warehouse = tmp_path / "warehouse" / "tradebloc.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(sample_build.warehouse, warehouse)
    return raw_dir, warehouse


@pytest.fixture(scope="session")
def readme_queries() -> list[str]:
    """The SQL examples of the README, in order: the docs must stay true to the marts."""
    readme = (settings.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in readme.split("```sql\n")[1:]]
