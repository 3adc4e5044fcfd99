"""The dbt project and its CLI resource (importable before the manifest exists)."""

import fcntl
import json
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from . import settings

DBT_PROJECT = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# The dbt installed beside this Python, whether or not its bin folder is on PATH.
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT_EXECUTABLE))


def prepare_dbt() -> None:
    """Write the dbt manifest (dbt parse). Must run before the definitions load.
    Two builds started at once take turns, so neither reads a half-written manifest."""
    settings.export_for_dbt()
    target = DBT_PROJECT.manifest_path.parent
    target.mkdir(parents=True, exist_ok=True)
    with (target / ".prepare.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        dbt_resource().cli(["--quiet", "parse"], target_path=DBT_PROJECT.target_path).wait()


def build_args(year_from: int, year_to: int) -> list[str]:
    """`dbt build` limited by the yearly models' vars to the years from..to."""
    return ["build", "--vars", json.dumps({"year_from": year_from, "year_to": year_to})]
