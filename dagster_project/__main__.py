"""Command line: `python -m dagster_project prepare|run [--years 2024] [--select ...]|summary|docs|spark`
(`run` and `spark` take -v).

`run` is what `make run` does: prepare the dbt manifest, materialise every asset
through Dagster (the same assets as the UI, its runs recorded in the same Dagster
home), then print a summary of what the warehouse holds. `spark` is `make spark`
(dagster_project/spark.py).
"""

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from datetime import datetime

from . import progress, settings, summary
from .assets.partitions import parse_years
from .resources import DBT_PROJECT, dbt_command, dbt_resource, prepare_dbt


def _materialise_all(years: list[int] | None, select: str | None, verbose: bool) -> int:
    """Every asset in one Dagster run recorded in DAGSTER_HOME; with `years`, those
    years' partitions and what they feed. The console shows a line per asset; the
    full Dagster and dbt logs go to a file (all of it on the console with `verbose`)."""
    import dagster as dg

    from .definitions import defs
    from .run import failed_checks, materialise

    config = settings.export_for_dbt()
    log_path = config.warehouse.parent / "logs" / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Building {config.raw_dir} into {config.warehouse}\nFull log: {log_path}", flush=True)
    os.environ.setdefault("DAGSTER_HOME", str(settings.REPO_ROOT / "dagster_home"))
    with (
        dg.DagsterInstance.get() as instance,
        open(log_path, "a", encoding="utf-8") as log,
        contextlib.ExitStack() as quiet,
    ):
        if not verbose:  # dbt's own lines and library warnings, to the log file
            quiet.enter_context(contextlib.redirect_stdout(log))
            quiet.enter_context(contextlib.redirect_stderr(log))
        run_config = progress.run_config(log_path, verbose)
        result = materialise(defs(), instance, config.raw_dir, years, run_config, select)
    failed = failed_checks(result)
    if result.success and not failed:
        return 0
    print(
        f"\nThe build {'failed' if not result.success else 'finished with failed checks'}: "
        f"see the lines marked ✗ above, and {log_path}."
    )
    return 1


def _spark(verbose: bool) -> int:
    """`make spark`: build the raw folder on DuckDB (as `make run` does), then again with
    the Spark engine (DuckDB lands into spark/landing.duckdb, dbt builds on a fresh local
    Spark catalog from the landed rows' Parquet), and compare every mart."""
    from . import spark

    os.environ[settings.ENGINE_VAR] = "duckdb"
    code = _materialise_all(None, None, verbose)
    config = settings.load()
    duckdb_warehouse, spark_dir = config.warehouse, config.spark_folder
    for stale in ("tables", "metastore_db"):  # a fresh catalog: the comparison is of whole builds
        shutil.rmtree(spark_dir / stale, ignore_errors=True)
    os.environ.update(
        {
            settings.ENGINE_VAR: "spark",
            settings.WAREHOUSE_VAR: str(spark_dir / "landing.duckdb"),
            settings.SPARK_DIR_VAR: str(spark_dir),
        }
    )
    print("\nThe same build with the Spark engine:", flush=True)
    code = _materialise_all(None, None, verbose) or code
    results = spark.compare_all(duckdb_warehouse, spark_dir)
    print("\nEvery mart, Spark against DuckDB:\n" + spark.render(results))
    return code or int(not all(result.equal for result in results))


def _dbt_docs() -> int:
    """Build the dbt docs site (with the warehouse's catalog) and serve it on port 8080."""
    prepare_dbt()
    dbt_resource().cli(["docs", "generate"], target_path=DBT_PROJECT.target_path).wait()
    command = dbt_command("docs", "serve", "--host", "127.0.0.1", "--port", "8080")
    return subprocess.call(command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project")
    parser.add_argument("command", choices=["prepare", "run", "summary", "docs", "spark"])
    parser.add_argument(
        "--select", help="run: only these assets, in Dagster's selection syntax (e.g. 'group:landing')"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="run: Dagster's and dbt's full output")
    parser.add_argument(
        "--years",
        type=parse_years,
        help="run: only these years' partitions (e.g. 2024 or 2021-2024) and what they feed",
    )
    args = parser.parse_args(argv)
    if args.command in ("prepare", "run", "spark"):
        prepare_dbt()
    if args.command == "run":
        code = _materialise_all(args.years, args.select, args.verbose)
        print(summary.render())
        return code
    if args.command == "spark":
        return _spark(args.verbose)
    if args.command == "docs":
        return _dbt_docs()
    if args.command == "summary":
        print(summary.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
