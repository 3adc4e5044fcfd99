"""The dbt project and its CLI resource (importable before the manifest exists)."""

import fcntl
import importlib.metadata
import os
import subprocess
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from . import settings

DBT_PROJECT = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# The dbt installed beside this Python, whether or not its bin folder is on PATH.
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


class DbtCli(DbtCliResource):
    """dagster-dbt's CLI resource without the two probes it makes before every dbt
    command (measured: 2 to 4 s for `dbt --version` in a subprocess, 2.4 s to load a dbt
    adapter, per step): the dbt it runs is the dbt-core installed beside this Python, so
    the package knows the version; and the adapter serves only dagster-dbt's own row
    counts and column metadata, which the assets do not ask for (they count rows in
    DuckDB themselves, assets/dbt.py)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def dbt_resource() -> DbtCliResource:
    """dbt on the engine TRADEBLOC_ENGINE names (profiles.yml has a target for each).
    DuckDB's is the profile's default, and goes unnamed: a `--target` the manifest's
    parse (prepare_dbt) did not have would cost every dbt step a full re-parse."""
    engine = settings.load().engine
    target = None if engine == "duckdb" else engine
    return DbtCli(project_dir=DBT_PROJECT, dbt_executable=str(DBT_EXECUTABLE), target=target)


def dbt_command(*args: str, target_path: Path = DBT_PROJECT.target_path) -> list[str]:
    """A dbt command line on this project, its profile and a target folder (its own)."""
    folders = ["--project-dir", "--profiles-dir"]
    return [
        str(DBT_EXECUTABLE),
        *args,
        *(part for flag in folders for part in (flag, str(settings.DBT_PROJECT_DIR))),
        *("--target-path", str(target_path)),
    ]


def prepare_dbt() -> None:
    """Write the dbt manifest (dbt parse, partial when it can be). Must run before the
    definitions load. Two builds started at once take turns, so neither reads a
    half-written manifest. dbt is called directly: dagster-dbt's `cli` first runs
    `dbt --version` and loads an adapter, some 4 s that a parse does not need."""
    settings.export_for_dbt()
    target = DBT_PROJECT.manifest_path.parent
    target.mkdir(parents=True, exist_ok=True)
    with (target / ".prepare.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _manifest_is_current():
            return
        if subprocess.run(dbt_command("--quiet", "parse")).returncode:
            raise RuntimeError("dbt parse failed: the dbt project has an error (dbt's message is above)")


def _manifest_is_current() -> bool:
    """Whether the manifest is newer than every file of the dbt project: then a parse
    (some 7 s, most of it dbt starting) would write the same nodes again."""
    manifest = DBT_PROJECT.manifest_path
    if not manifest.exists():
        return False
    written = manifest.stat().st_mtime
    project = settings.DBT_PROJECT_DIR
    return all(
        path.stat().st_mtime < written
        for path in project.rglob("*")
        if path.is_file() and path.relative_to(project).parts[0] not in ("target", "logs")
    )


def set_run_years(years: range | None) -> None:
    """Limit the dbt commands this process starts to these years (macro run_year), or
    to none: every year. Environment variables rather than `--vars`, which would cost
    each yearly run a full parse (some 5 s): dbt reads them only when it executes."""
    for name in (settings.YEAR_FROM_VAR, settings.YEAR_TO_VAR):
        os.environ.pop(name, None)
    if years:
        os.environ.update({settings.YEAR_FROM_VAR: str(years[0]), settings.YEAR_TO_VAR: str(years[-1])})
