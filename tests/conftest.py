"""Shared fixtures: the dbt manifest, and the sample built once per session.

The sample is built once, by `python -m dagster_project run` (what `make run` runs)
into a temporary warehouse and a Dagster home of its own; the tests read it (or a
copy of it, for a test that writes), and the UI test opens that Dagster home. Every
test that writes uses pytest's temporary folders: never the repo's raw/ or warehouse/.

`make test` runs the tests on two processes (pytest-xdist); the tests that share a
built warehouse are kept on one (group `sample`, `partitions`, `real`, `journey`),
so each is built once.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from dagster_project.run import materialise

REPO_RAW = settings.REPO_ROOT / "raw"
SAMPLE_FIXTURES = {"sample_build", "sample_warehouse", "sample_db", "built_copy", "webserver", "serving_env"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Keep the tests of one built warehouse on one xdist worker."""
    for item in items:
        if SAMPLE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group("sample"))
        elif "two_years_built" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("partitions"))
        elif "journey" in item.fixturenames:  # a Dagster home and warehouse of its own, from empty
            item.add_marker(pytest.mark.xdist_group("journey"))
        elif "real" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("real"))


def pytest_collection_finish(session):
    """Fail loudly where xdist no longer groups (it tags a grouped test's node id)."""
    grouped = [item for item in session.items if item.get_closest_marker("xdist_group")]
    if getattr(session.config.option, "loadgroup", False) and any("@" not in i.nodeid for i in grouped):
        raise pytest.UsageError("pytest-xdist did not group the tests sharing a warehouse (pyproject.toml)")


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
    """The committed sample, copied to a temp raw folder and built by the command line."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO_RAW, root / "raw")
    (root / "dagster_home").mkdir()
    shutil.copy(settings.REPO_ROOT / "dagster_home" / "dagster.yaml", root / "dagster_home")
    sample = SampleBuild(root / "raw", root / "warehouse" / "tradebloc.duckdb", root / "dagster_home", "")
    done = subprocess.run(
        [sys.executable, "-m", "dagster_project", "run"],
        env={**os.environ, **sample.env},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    return SampleBuild(sample.raw_dir, sample.warehouse, sample.dagster_home, done.stdout)


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
