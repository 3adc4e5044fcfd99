"""Command line: `python -m dagster_project prepare|run [--years 2024]|summary|docs`.

`run` is what `make run` does: prepare the dbt manifest, materialise every asset
through Dagster (the same assets as the UI, its runs recorded in the same Dagster
home), then print a summary of what the warehouse holds.
"""

import argparse
import os
import subprocess
import sys

from . import settings, summary
from .assets.partitions import parse_years
from .resources import DBT_PROJECT, dbt_command, dbt_resource, prepare_dbt


def _materialise_all(years: list[int] | None) -> int:
    """Every asset, in the order of dagster_project/build.py, recorded in DAGSTER_HOME;
    with `years`, those years' partitions and what they feed."""
    import dagster as dg

    from .build import materialise_all
    from .definitions import defs  # after prepare_dbt: it reads the dbt manifest

    os.environ.setdefault("DAGSTER_HOME", str(settings.REPO_ROOT / "dagster_home"))
    with dg.DagsterInstance.get() as instance:
        build = materialise_all(defs, instance, settings.export_for_dbt().raw_dir, years)
    return 0 if build.success else 1


def _dbt_docs() -> int:
    """Build the dbt docs site (with the warehouse's catalog) and serve it on port 8080."""
    prepare_dbt()
    dbt_resource().cli(["docs", "generate"], target_path=DBT_PROJECT.target_path).wait()
    command = dbt_command("docs", "serve", "--host", "127.0.0.1", "--port", "8080")
    return subprocess.call(command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project")
    parser.add_argument("command", choices=["prepare", "run", "summary", "docs"])
    parser.add_argument(
        "--years",
        type=parse_years,
        help="run: only these years' partitions (e.g. 2024 or 2021-2024) and what they feed",
    )
    args = parser.parse_args(argv)
    if args.command in ("prepare", "run"):
        prepare_dbt()
    if args.command == "run":
        code = _materialise_all(args.years)
        print(summary.render(settings.load().warehouse))
        if code:
            print("Some assets failed; see the messages above.")
        return code
    if args.command == "docs":
        return _dbt_docs()
    if args.command == "summary":
        print(summary.render(settings.load().warehouse))
    return 0


if __name__ == "__main__":
    sys.exit(main())
