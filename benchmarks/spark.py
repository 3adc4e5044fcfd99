"""Spark against DuckDB: the same build on each engine, on the committed sample and on
one year of synthetic BACI rows, measured side by side in one run.

    .venv/bin/python -m benchmarks.spark [--rows-per-year 10000000] [--data DIR] [--write-results]

For each data set, each phase in a fresh process (wall time, peak RSS of its tree):

1. the whole pipeline on DuckDB: `python -m dagster_project run` into a fresh
   warehouse and Dagster home (landing, every model and test, serving);
2. the whole pipeline on Spark: the same with TRADEBLOC_ENGINE=spark, on a fresh
   Spark catalog (DuckDB lands, the landed tables go to Parquet, dbt builds on Spark);
3. dbt alone on each engine, on what 1 and 2 landed: `dbt build --full-refresh` with
   the duckdb and the spark target (every model and test, no Dagster).

It prints each figure and Spark's ratio to DuckDB; --write-results records them in
benchmarks/RESULTS-spark.md. Needs the `spark` extra and Java (`make spark-deps`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from dagster_project import settings

from .run import FIRST_YEAR, Bench, Phase, machine, measure, plain_dbt_build, prepare_data, version

RESULTS = Path(__file__).with_name("RESULTS-spark.md")
ROWS_PER_YEAR = 10_000_000


def measure_engines(bench: Bench, folder: str, name: str, env: dict[str, str]) -> list[Phase]:
    """The four phases on the raw folder of `env`, in work/`folder` (a plain name: it
    ends up in Spark's settings, whose metastore URL a comma would break)."""
    work = bench.work / folder
    spark_env = {
        **env,
        settings.ENGINE_VAR: "spark",
        settings.WAREHOUSE_VAR: str(work / "spark" / "landing.duckdb"),
        settings.SPARK_DIR_VAR: str(work / "spark"),
        "DAGSTER_HOME": env["DAGSTER_HOME"],
    }
    pipeline = [sys.executable, "-m", "dagster_project", "run"]
    logs = bench.work / "logs"

    def dbt(target: str, env: dict[str, str]) -> list[str]:
        return plain_dbt_build(work / f"dbt-target-{target}", env, "--target", target)

    return [
        measure(f"{name}: pipeline on DuckDB", pipeline, env, logs / f"{name}-duckdb.log"),
        measure(f"{name}: pipeline on Spark", pipeline, spark_env, logs / f"{name}-spark.log"),
        measure(f"{name}: dbt build on DuckDB", dbt("duckdb", env), env, logs / f"{name}-dbt-duckdb.log"),
        measure(
            f"{name}: dbt build on Spark", dbt("spark", spark_env), spark_env, logs / f"{name}-dbt-spark.log"
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows-per-year", type=int, default=ROWS_PER_YEAR)
    parser.add_argument("--data", type=Path, help="where the BACI files are (generated unless held)")
    parser.add_argument("--write-results", nargs="?", const=RESULTS, type=Path, metavar="FILE")
    parser.add_argument(
        "--sets", type=lambda text: text.split(","), default=["sample", "baci"], help="sample,baci (both)"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tradebloc-bench-spark-")).resolve()
    data = (args.data or work / "data").resolve()
    try:
        year_files = prepare_data(data, [FIRST_YEAR], args.rows_per_year) if "baci" in args.sets else []
        bench = Bench(work, data, keep=False)
        phases = []
        if "sample" in args.sets:
            sample = bench.folder("sample", [])
            shutil.rmtree(work / "sample" / "raw")
            shutil.copytree(settings.REPO_ROOT / "raw", work / "sample" / "raw")
            phases += measure_engines(bench, "sample", "sample", sample)
            bench.discard("sample")
        if "baci" in args.sets:
            label = f"BACI 1 x {args.rows_per_year:,}"
            phases += measure_engines(bench, "baci", label, bench.folder("baci", year_files))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = []
    for duckdb_phase, spark_phase in ((phases[i], phases[i + 1]) for i in range(0, len(phases), 2)):
        ratio = spark_phase.wall_s / duckdb_phase.wall_s
        for phase in (duckdb_phase, spark_phase):
            rows.append(
                (
                    phase.name,
                    phase.wall_s,
                    phase.peak_rss_mb,
                    ratio if phase is spark_phase else 1.0,
                    phase.status,
                )
            )
    for name, wall, rss, ratio, status in rows:
        print(f"{name:<52} {wall:7.1f} s {rss:7.0f} MB {ratio:6.2f}x DuckDB  {status}")
    if args.write_results:
        args.write_results.write_text(_markdown(rows, args.rows_per_year), encoding="utf-8")
        print(f"wrote {args.write_results}")
    return 0 if all(p.status == "ok" for p in phases) else 1


def _markdown(rows, rows_per_year: int) -> str:
    about = machine()
    table = "\n".join(
        f"| {name} | {wall:.1f} | {rss:,.0f} | {ratio:.2f} | {status} |"
        for name, wall, rss, ratio, status in rows
    )
    return f"""# Spark against DuckDB

Measured on {date.today().isoformat()} by `python -m benchmarks.spark --write-results` on the
committed sample (`raw/`) and on one year of {rows_per_year:,} synthetic BACI rows
(`dagster_project.sample.scale`), each phase in a fresh process. Spark is a local
session (`local[*]`, driver memory 4g) inside dbt's process ([docs/scaling.md](../docs/scaling.md)).

| phase | wall (s) | peak RSS (MB) | ratio to DuckDB | status |
| --- | ---: | ---: | ---: | --- |
{table}

- machine: {about["cores"]} cores, {about["memory"]} of memory, {about["cpu"]}
- versions: python {sys.version.split()[0]}, duckdb {version("duckdb")}, dbt-core {version("dbt-core")},
  dbt-duckdb {version("dbt-duckdb")}, dbt-spark {version("dbt-spark")}, pyspark {version("pyspark")},
  dagster {version("dagster")}
"""


if __name__ == "__main__":
    sys.exit(main())
