"""The dbt project and its CLI resource (importable before the manifest exists)."""

import contextlib
import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
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


@contextlib.contextmanager
def step_target(name: str) -> Iterator[Path]:
    """A dbt step's own target folder, removed once the step has read it (dagster-dbt's
    default keeps one per step, some 13 MB each, for good). It starts from dbt's saved
    parse for the profile the step runs with, and keeps the parse dbt leaves for the
    next step on that profile. dagster-dbt would copy in `target/partial_parse.msgpack`,
    which serves only the warehouse `prepare` parsed for: dbt's saved parse holds the
    profile, so a step on any other warehouse (a test's, a benchmark's, a second
    checkout's) parsed the whole project, some 5 s, every time."""
    saved = saved_parse()
    with tempfile.TemporaryDirectory(prefix=name, dir=DBT_PROJECT.manifest_path.parent) as folder:
        parse = Path(folder) / PARSE_FILES[0]
        with contextlib.suppress(FileNotFoundError):  # none saved, or pruned just now
            shutil.copy2(saved, parse)  # dagster-dbt copies its own only where there is none
        copied = _stamp(parse)
        yield Path(folder)
        if _stamp(parse) not in (None, copied):  # dbt parsed (a file changed, or none was saved)
            SAVED_PARSES.mkdir(exist_ok=True)
            partial = saved.with_name(f".{saved.name}.{os.getpid()}")
            shutil.copy2(parse, partial)
            os.replace(partial, saved)  # whole: a step starting now never reads half of it
            # the latest few profiles only: each test's warehouse is a profile of its own
            by_age = sorted(SAVED_PARSES.glob("*.msgpack"), key=lambda path: (_stamp(path) or (0, 0))[1])
            for stale in by_age[:-SAVED_PARSES_KEPT]:
                stale.unlink(missing_ok=True)


# dbt's saved parses, one per profile a step ran with (step_target), some 2 MB each
SAVED_PARSES = DBT_PROJECT.manifest_path.parent / "parses"
SAVED_PARSES_KEPT = 32


def saved_parse() -> Path:
    """Where dbt's saved parse is kept for the profile a dbt step would now run with."""
    config = settings.load()
    profile = json.dumps([config.engine, config.dbt_env()], sort_keys=True)
    return SAVED_PARSES / f"{hashlib.sha256(profile.encode()).hexdigest()[:16]}.msgpack"


def _stamp(path: Path) -> tuple[int, int] | None:
    with contextlib.suppress(FileNotFoundError):
        stat = path.stat()
        return stat.st_size, stat.st_mtime_ns
    return None


def prepare_dbt() -> None:
    """Write the dbt manifest (dbt parse, partial when it can be). Must run before the
    definitions load. Two builds started at once take turns, and the files are swapped
    in whole, so no build reads a half-written manifest. dbt is called directly:
    dagster-dbt's `cli` first runs `dbt --version` and loads an adapter, some 4 s that a
    parse does not need."""
    profile_inputs = json.dumps(settings.export_for_dbt().dbt_env(), sort_keys=True)
    target = DBT_PROJECT.manifest_path.parent
    target.mkdir(parents=True, exist_ok=True)
    with (target / ".prepare.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _manifest_is_current(profile_inputs):
            return
        with tempfile.TemporaryDirectory(dir=target, prefix=".parse-") as folder:
            parsed = Path(folder)
            if (saved := target / PARSE_FILES[0]).exists():
                shutil.copy(saved, parsed)  # dbt parses only what changed since
            if subprocess.run(dbt_command("--quiet", "parse", target_path=parsed)).returncode:
                raise RuntimeError("dbt parse failed: the dbt project has an error (dbt's message is above)")
            (parsed / PARSED_FOR).write_text(profile_inputs)
            for name in (*PARSE_FILES, PARSED_FOR):
                os.replace(parsed / name, target / name)


# What a parse writes that runs read: the partial parse dagster-dbt copies into each
# dbt step's target folder, and the manifest the definitions load. The last is swapped
# in last: it dates the parse.
PARSE_FILES = ("partial_parse.msgpack", "manifest.json")
# The profile inputs the parse was made with: dbt's saved parse holds them (the
# warehouse path), and a step on other inputs would parse in full, some 5 s each.
PARSED_FOR = ".parsed-for.json"


def _manifest_is_current(profile_inputs: str) -> bool:
    """Whether the manifest was parsed for these profile inputs and is newer than every
    file of the dbt project: then a parse (some 7 s, most of it dbt starting) would
    write the same again."""
    manifest, parsed_for = DBT_PROJECT.manifest_path, DBT_PROJECT.manifest_path.with_name(PARSED_FOR)
    if not (manifest.exists() and parsed_for.exists()) or parsed_for.read_text() != profile_inputs:
        return False
    written = manifest.stat().st_mtime
    # not into target/ and logs/: dbt's output, not the project's (target/ held a folder
    # per dbt step before the steps removed theirs: 141,094 files on one machine)
    sources = [entry for entry in settings.DBT_PROJECT_DIR.iterdir() if entry.name not in ("target", "logs")]
    files = [path for entry in sources for path in (entry.rglob("*") if entry.is_dir() else [entry])]
    return all(path.stat().st_mtime < written for path in files if path.is_file())


def set_run_years(years: range | None) -> None:
    """Limit the dbt commands this process starts to these years (macro run_year), or
    to none: every year. Environment variables rather than `--vars`, which would cost
    each yearly run a full parse (some 5 s): dbt reads them only when it executes."""
    for name in (settings.YEAR_FROM_VAR, settings.YEAR_TO_VAR):
        os.environ.pop(name, None)
    if years:
        os.environ.update({settings.YEAR_FROM_VAR: str(years[0]), settings.YEAR_TO_VAR: str(years[-1])})
