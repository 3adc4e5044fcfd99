"""Shared fixtures: the dbt manifest, and a warehouse built through Dagster.

Every test that writes uses pytest's temporary folders: never the repo's raw/ or
warehouse/.
"""

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from dagster_project.run import materialise

REPO_RAW = settings.REPO_ROOT / "raw"


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory) -> Path:
    """dbt parse, as `make run` does before loading the definitions."""
    from dagster_project.resources import DBT_PROJECT, prepare_dbt

    with pytest.MonkeyPatch.context() as env:
        env.setenv(settings.WAREHOUSE_VAR, str(tmp_path_factory.mktemp("parse") / "w.duckdb"))
        prepare_dbt()
    return DBT_PROJECT.manifest_path


@pytest.fixture(scope="session")
def defs(dbt_manifest) -> dg.Definitions:
    from dagster_project.definitions import defs

    return defs()


def _materialise_all(defs: dg.Definitions, raw_dir: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    """Every asset, in one run in process, as `make run` builds them, against the given
    raw folder and warehouse."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv(settings.RAW_DIR_VAR, str(raw_dir))
        env.setenv(settings.WAREHOUSE_VAR, str(warehouse))
        return materialise(defs, dg.DagsterInstance.ephemeral(), raw_dir)


@pytest.fixture(scope="session")
def materialise_all(defs):
    """materialise_all(raw_dir, warehouse): every asset, in process."""
    return lambda raw_dir, warehouse: _materialise_all(defs, raw_dir, warehouse)


@pytest.fixture(scope="session")
def sample_warehouse(defs, tmp_path_factory) -> Path:
    """The committed sample, copied to a temp raw folder and built end to end."""
    root = tmp_path_factory.mktemp("sample")
    raw_dir = root / "raw"
    shutil.copytree(REPO_RAW, raw_dir)
    warehouse = root / "warehouse" / "tradebloc.duckdb"
    result = _materialise_all(defs, raw_dir, warehouse)
    failures = [e.message for e in result.all_events if e.is_step_failure]
    assert result.success, f"materialisation failed: {failures}"
    return warehouse


@pytest.fixture
def sample_db(sample_warehouse):
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def readme_queries() -> list[str]:
    """The SQL examples of the README, in order: the docs must stay true to the marts."""
    readme = (settings.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in readme.split("```sql\n")[1:]]
