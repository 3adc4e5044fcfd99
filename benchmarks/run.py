"""Benchmarks at BACI scale: our landing and whole pipeline against the DuckDB floor
and a plain pandas pipeline, on the same files, in one run.

    .venv/bin/python -m benchmarks.run --years 3 --rows-per-year 10000000 [--data DIR] [--write-results]

Phases, each in a fresh process of its own (wall time, peak RSS of its process tree):

1. floor: DuckDB alone reads the yearly CSVs into a typed table;
2. landing: dagster_project.landing lands the same files (and one year alone);
3. pipeline: `python -m dagster_project run`: landing, then dbt build with its tests
   (and the same with no trade rows: its fixed cost, of which a plain dbt build of the
   same warehouse gives dbt's share);
4. pandas: fct_trade and mart_bloc_trade_annual with pandas.read_csv (checked
   against the dbt mart of phase 3);
5. growth: with N years built, the cost of one more year (N from --growth).

It prints each figure and its ratio to the floor, then the targets and whether they
are met; --write-results records it all in benchmarks/RESULTS.md. The data are
synthetic BACI files of real shape (dagster_project.sample.scale), generated into
--data unless it already holds them. Nothing is written inside the repository
except RESULTS.md, on request (and dbt's own target/ and logs/, as every run).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

import duckdb

from dagster_project import settings
from dagster_project.landing.formats import sql_string
from dagster_project.landing.years import file_years
from dagster_project.resources import dbt_command
from dagster_project.sample import scale

RESULTS = Path(__file__).with_name("RESULTS.md")
FIRST_YEAR = 2019
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MB = 2**20
# Targets (tracked, never asserted).
LANDING_TARGET = 1.5  # landing <= 1.5 x the floor
PIPELINE_TARGET = 3.0  # whole pipeline <= 3 x the floor
GROWTH_TARGET = 1.5  # one more year <= 1.5 x one year's own landing...
FLAT_TARGET = 1.25  # ...flat in N: slowest / fastest
MEMORY_TARGET_GB = 6
FIXED_COST_TARGET_S = 15  # the pipeline on no trade rows (issue 16, one clean flow)
PANDAS_TARGET = 5.0  # pandas >= 5 x slower than the pipeline, or out of memory


@dataclass
class Phase:
    name: str
    wall_s: float
    peak_rss_mb: float
    status: str = "ok"  # ok | out of memory | failed (exit n)
    note: str = ""


def growth_command(year_file: Path) -> list[str]:
    """What materialises the year of `year_file`, just added to a warehouse holding the
    years before it: that year's partition (its landing and the yearly dbt models)
    and the marts it feeds, as a user would after a new download."""
    (year,) = file_years(year_file)
    return [sys.executable, "-m", "dagster_project", "run", "--years", str(year)]


GROWTH_SHOWN = ["python", *growth_command(Path("BACI_HS17_Y2023_V202401.csv"))[1:]]


def plain_dbt_build(target_path: Path, env: dict[str, str], *options: str) -> list[str]:
    """A plain `dbt build --full-refresh` of every model and test, without Dagster, as a
    user runs it once the project is parsed: dbt's saved parse for this profile is in
    place (parsed here, not measured), as it is for the pipeline's dbt steps."""
    parse = dbt_command("parse", "--quiet", *options, target_path=target_path)
    subprocess.run(parse, env=env, cwd=settings.REPO_ROOT, check=True, capture_output=True)
    return dbt_command("build", "--full-refresh", "--quiet", *options, target_path=target_path)


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        children.setdefault(ppid, []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        with contextlib.suppress(OSError, IndexError, ValueError):  # ended meanwhile
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    return total


def measure(name: str, command: list[str], env: dict[str, str], log: Path) -> Phase:
    """Run `command` in a fresh process; its wall time and peak RSS. The peak is the
    larger of the process tree's summed RSS (sampled every 0.1 s) and the largest
    single process's exact peak (the kernel's, through wait4)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=settings.REPO_ROOT
        )
    sampled = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal sampled
        while not done.wait(0.1):
            sampled = max(sampled, tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = code = os.waitstatus_to_exitcode(status)
    peak_mb = max(sampled, usage.ru_maxrss * 1024) / MB  # ru_maxrss is in KiB on Linux
    text = log.read_text(errors="replace")
    if code == -signal.SIGKILL or "MemoryError" in text or "Out of Memory Error" in text:
        result = Phase(name, wall, peak_mb, "out of memory")
    elif code:
        result = Phase(name, wall, peak_mb, f"failed (exit {code})")
    else:
        result = Phase(name, wall, peak_mb)
    if code:
        print("\n".join(text.splitlines()[-15:]), file=sys.stderr)
    return result


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    meminfo = Path("/proc/meminfo").read_text()
    kib = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal:")))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return {"cores": str(os.cpu_count()), "memory": f"{kib / 2**20:.1f} GiB", "cpu": model}


def prepare_data(data: Path, years: list[int], rows_per_year: int) -> list[Path]:
    """The yearly files and the two code files, generated unless `data` holds them."""
    folder = data / "baci"
    try:
        held = json.loads((folder / scale.MARKER).read_text())
    except (OSError, ValueError):
        held = {}
    if held.get("rows_per_year") != rows_per_year or not set(years) <= set(held.get("years", [])):
        print(f"generating {len(years)} years x {rows_per_year:,} rows into {folder} ...", flush=True)
        start = time.perf_counter()
        # In a process of its own: a child inherits its parent's peak RSS on Linux, so a
        # generator's memory held here would floor every phase's measured peak.
        command = [sys.executable, "-m", "dagster_project.sample.scale", "--out", str(data)]
        years_arg = ",".join(map(str, years))
        subprocess.run([*command, "--years", years_arg, "--rows-per-year", str(rows_per_year)], check=True)
        print(f"generated in {time.perf_counter() - start:.0f} s", flush=True)
    return [scale.flow_file(folder, year) for year in years]


class Bench:
    """One benchmark run: its work folder, the phases' environment, what was measured."""

    def __init__(self, work: Path, data: Path, keep: bool):
        self.work, self.keep = work, keep
        self.code_files = sorted((data / "baci").glob("*_codes_*.csv"))
        config = settings.load()
        self.duckdb = config.duckdb_config()
        # Every phase gets the same DuckDB limits, whatever its own defaults would be.
        self.base_env = {
            **os.environ,
            settings.MEMORY_LIMIT_VAR: config.memory_limit,
            settings.THREADS_VAR: str(config.threads),
        }
        self.phases: dict[str, Phase] = {}
        self.envs: dict[str, dict[str, str]] = {}

    def folder(self, name: str, year_files: list[Path]) -> dict[str, str]:
        """A fresh landing zone (links to the data files: the same bytes, no copies),
        warehouse and Dagster home under work/name; the environment that uses them."""
        raw = self.work / name / "raw"
        (raw / "baci").mkdir(parents=True)
        for path in [*year_files, *self.code_files]:
            (raw / "baci" / path.name).symlink_to(path)
        home = self.work / name / "dagster_home"
        home.mkdir()
        shutil.copy(settings.REPO_ROOT / "dagster_home" / "dagster.yaml", home)
        self.envs[name] = {
            **self.base_env,
            settings.RAW_DIR_VAR: str(raw),
            settings.WAREHOUSE_VAR: str(self.warehouse(name)),
            "DAGSTER_HOME": str(home),
        }
        return self.envs[name]

    def warehouse(self, name: str) -> Path:
        return self.work / name / "warehouse" / "tradebloc.duckdb"

    def discard(self, name: str) -> None:
        """Remove a measured phase's folder (its warehouse can be GBs), unless kept."""
        if not self.keep:
            shutil.rmtree(self.work / name, ignore_errors=True)

    def run(self, key: str, label: str, command: list[str], env: dict[str, str]) -> Phase:
        phase = self.phases[key] = measure(label, command, env, self.work / "logs" / f"{key}.log")
        floor = self.phases.get("floor")
        ratio = f"{phase.wall_s / floor.wall_s:6.2f}x floor" if floor and floor.status == "ok" else ""
        print(
            f"{label:<44} {phase.wall_s:8.1f} s {phase.peak_rss_mb:8.0f} MB {ratio}  {phase.status}",
            flush=True,
        )
        return phase


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def landed_files(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("select count(*) from raw._landing_ledger where status = 'landed'").fetchone()[0]


def compare_marts(pandas_csv: Path, warehouse: Path) -> str:
    """Whether the pandas mart equals the dbt mart (doubles within 1e-9, relative) on the
    columns the pandas copy computes (not the coverage columns, which it leaves out)."""
    with pandas_csv.open(encoding="utf-8") as handle:
        computed = next(csv.reader(handle))
    with duckdb.connect() as conn:
        conn.execute(f"attach {sql_string(str(warehouse))} as w (read_only)")
        columns = conn.execute(
            "select column_name, data_type from information_schema.columns where table_catalog = 'w' "
            "and table_name = 'mart_bloc_trade_annual' and list_contains($computed, column_name) "
            "order by list_position($computed, column_name)",  # the CSV's order
            {"computed": computed},
        ).fetchall()
        missing = sorted(set(computed) - {column for column, _ in columns})
        if missing:
            return f"the pandas mart has columns the dbt mart lacks: {missing}"
        # The pandas CSV read with the mart's types (an all-empty column has no type of its own).
        types = "{" + ", ".join(f"{sql_string(c)}: {sql_string(kind)}" for c, kind in columns) + "}"
        differs = " or ".join(
            f"not (p.{c} is not distinct from d.{c}"
            + (f" or abs(p.{c} - d.{c}) <= 1e-9 * abs(d.{c}))" if kind == "DOUBLE" else ")")
            for c, kind in columns
        )
        rows, bad = conn.execute(
            f"""
            select count(*), count(*) filter (where {differs})
            from read_csv(?, columns={types}, header=true) p
            full join w.marts.mart_bloc_trade_annual d using (bloc_code, year)
            """,
            [str(pandas_csv)],
        ).fetchone()
    return (
        f"same mart as dbt ({rows} rows)" if not bad else f"differs from the dbt mart in {bad} of {rows} rows"
    )


def targets(phases: dict[str, Phase], growth: list[int]) -> list[tuple[str, str, str]]:
    """(target, measured, met: yes / no / n/a)."""

    def ratio(a: str, b: str) -> float | None:
        measured = all(key in phases and phases[key].status == "ok" for key in (a, b))
        return phases[a].wall_s / phases[b].wall_s if measured else None

    one_year = "landing_1y" if "landing_1y" in phases else "landing"  # --years 1: the same
    steps = [ratio(f"growth_{n}", one_year) for n in growth]
    worst_step = max(steps) if steps and None not in steps else None
    flatness = max(steps) / min(steps) if len(steps) > 1 and None not in steps else None
    peak_gb = max(p.peak_rss_mb for key, p in phases.items() if key not in ("floor", "pandas")) / 1024
    pandas_oom = "pandas" in phases and phases["pandas"].status == "out of memory"
    fixed_s = phases["fixed"].wall_s if "fixed" in phases and phases["fixed"].status == "ok" else None
    checks = [
        (f"landing <= {LANDING_TARGET}x the floor", ratio("landing", "floor"), "<=", LANDING_TARGET),
        (f"fixed cost <= {FIXED_COST_TARGET_S} s", fixed_s, "<=", FIXED_COST_TARGET_S),
        (
            f"whole pipeline <= {PIPELINE_TARGET}x the floor",
            ratio("pipeline", "floor"),
            "<=",
            PIPELINE_TARGET,
        ),
        (f"one more year <= {GROWTH_TARGET}x one year's landing (worst N)", worst_step, "<=", GROWTH_TARGET),
        (f"one more year flat in N (slowest / fastest <= {FLAT_TARGET})", flatness, "<=", FLAT_TARGET),
        (f"peak memory <= {MEMORY_TARGET_GB} GB", peak_gb, "<=", MEMORY_TARGET_GB),
        (
            f"pandas >= {PANDAS_TARGET}x slower than the pipeline",
            float("inf") if pandas_oom else ratio("pandas", "pipeline"),
            ">=",
            PANDAS_TARGET,
        ),
    ]
    rows = []
    for target, value, op, limit in checks:
        if value is None:
            rows.append((target, "not measured", "n/a"))
        else:
            met = value <= limit if op == "<=" else value >= limit
            shown = "out of memory" if value == float("inf") else f"{value:.2f}"
            rows.append((target, shown, "yes" if met else "no"))
    return rows


def beyond_fixed_cost(phases: dict[str, Phase]) -> list[str]:
    """The pipeline's time beyond its fixed cost (no trade rows), against the floor:
    what grows with the data, apart from what every build pays."""
    if not all(key in phases and phases[key].status == "ok" for key in ("floor", "fixed", "pipeline")):
        return []
    floor, fixed, pipeline = (phases[key].wall_s for key in ("floor", "fixed", "pipeline"))
    lines = [
        "",
        f"The pipeline's fixed cost, the same run on no trade rows, is {fixed:.1f} s (the Dagster run and",
        "its event log, two dbt start-ups, every model and test). Beyond it, the trade rows cost",
        f"{pipeline - fixed:.1f} s, {(pipeline - fixed) / floor:.2f}x the floor.",
    ]
    if "fixed_dbt" in phases and phases["fixed_dbt"].status == "ok":
        dbt = phases["fixed_dbt"].wall_s
        lines += [
            f"Of the fixed cost, {dbt:.1f} s is a plain `dbt build --full-refresh` of the same models and",
            f"tests on the same warehouse, without Dagster; the orchestration adds {fixed - dbt:.1f} s.",
        ]
    return lines


def results_markdown(args: argparse.Namespace, bench: Bench, year_files: list[Path], target_rows) -> str:
    floor = bench.phases.get("floor")
    host = machine()
    versions = [f"python {platform.python_version()}"]
    versions += [
        f"{package} {version(package)}"
        for package in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "pandas")
    ]
    csv_mib = sum(p.stat().st_size for p in year_files) / MB
    lines = [
        "# Benchmark results",
        "",
        f"Measured on {date.today().isoformat()} by `python -m benchmarks.run {args.command_line}`,",
        f"on {_plural(len(year_files), 'synthetic BACI yearly file')} of {args.rows_per_year:,} rows",
        f"({csv_mib:,.0f} MiB of CSV) written by `dagster_project.sample.scale` (real shape: 200 countries,",
        "5,000 HS6 codes).",
        "",
        "| phase | wall (s) | peak RSS (MB) | ratio to floor | status | note |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for p in bench.phases.values():
        ratio = f"{p.wall_s / floor.wall_s:.2f}" if floor and floor.status == "ok" else ""
        lines.append(
            f"| {p.name} | {p.wall_s:.1f} | {p.peak_rss_mb:,.0f} | {ratio} | {p.status} | {p.note} |"
        )
    lines += [
        "",
        "## Targets (tracked, never asserted)",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {target} | {measured} | {met} |" for target, measured, met in target_rows]
    lines += beyond_fixed_cost(bench.phases)
    lines += [
        "",
        "## Setup",
        "",
        f"- machine: {host['cores']} cores, {host['memory']} of memory, {host['cpu']}",
        f"- versions: {', '.join(versions)}",
        f"- DuckDB: memory_limit {bench.duckdb['memory_limit']}, threads {bench.duckdb['threads']},",
        "  the same for every phase (`TRADEBLOC_DUCKDB_MEMORY_LIMIT`, `TRADEBLOC_DUCKDB_THREADS`)",
        f"- arguments: `{args.command_line}`",
        "",
        "## How it is measured",
        "",
        "Each phase runs in a fresh process. Peak RSS is that of its whole process tree: the larger of the",
        "tree's summed RSS, sampled every 0.1 s, and the largest single process's exact peak (wait4).",
        "",
        "- floor: DuckDB alone,",
        "  `create table as select * from read_csv(files, columns={typed}, header=true)`.",
        "- landing: `land_source` for baci into a fresh warehouse: each file hashed once (the same",
        "  pass counts its lines), then parsed once by DuckDB's CSV reader (RFC 4180, every row typed,",
        "  refused rows kept by `store_rejects`), checked (HS6, known country codes, duplicate keys),",
        "  given its physical line number and ledgered; the same for one year alone.",
        "- pipeline: `python -m dagster_project run` with a fresh warehouse and Dagster home: the landing,",
        "  dbt build of every model with its tests, the serving copy, the summary. Its fixed cost: the",
        "  same with BACI's code lists but no yearly file, and a plain `dbt build --full-refresh` on",
        "  its warehouse (dbt's share of the fixed cost).",
        "- pandas: `benchmarks/pandas_marts.py`, fct_trade and mart_bloc_trade_annual from",
        "  `pandas.read_csv`, checked against the pipeline's mart.",
        f"- one more year: the pipeline built with N years, year N+1 added, then `{' '.join(GROWTH_SHOWN)}`",
        "  timed; its note counts the files landed (the ledger skips those already landed).",
        "",
        "The same builds on Apache Spark, next to DuckDB's: [RESULTS-spark.md](RESULTS-spark.md)",
        "(`python -m benchmarks.spark`).",
    ]
    return "\n".join(lines) + "\n"


def measure_phases(
    bench: Bench, years: int, files: list[Path], all_files: list[Path], growth: list[int]
) -> None:
    """Phases 1-5, in order."""
    python = sys.executable
    phase_module = [python, "-m", "benchmarks.phases"]
    pipeline = [python, "-m", "dagster_project", "run"]
    span = _plural(years, "year")
    env = bench.folder("floor", files)
    bench.run("floor", f"floor: DuckDB read_csv, {span}", [*phase_module, "floor"], env)
    bench.run("landing", f"landing, {span}", [*phase_module, "landing"], bench.folder("landing", files))
    if years > 1:
        env = bench.folder("landing_1y", files[:1])
        bench.run("landing_1y", "landing, 1 year", [*phase_module, "landing"], env)
    for name in ("floor", "landing", "landing_1y"):
        bench.discard(name)

    # The pipeline's fixed cost: the same runs, dbt build and tests on no trade rows; and
    # the share of it that is dbt's own: a plain dbt build of the same on its warehouse.
    bench.run("fixed", "pipeline with no trade rows (fixed cost)", pipeline, bench.folder("fixed", []))
    env = bench.envs["fixed"]
    dbt = plain_dbt_build(bench.work / "fixed" / "dbt-target", env)
    bench.run("fixed_dbt", "dbt build alone, no trade rows", dbt, env)
    bench.discard("fixed")
    env = bench.folder("pipeline", files)
    built = bench.run("pipeline", f"pipeline (land + dbt build), {span}", pipeline, env)
    mart = bench.work / "pandas_mart.csv"
    raw = bench.work / "pipeline" / "raw"
    pandas = bench.run(
        "pandas",
        f"pandas, {span}",
        [python, "-m", "benchmarks.pandas_marts", str(raw), str(mart)],
        bench.base_env,
    )
    if pandas.status == "ok" and built.status == "ok":
        pandas.note = compare_marts(mart, bench.warehouse("pipeline"))
        print(f"  pandas: {pandas.note}")
    if years not in growth:
        bench.discard("pipeline")

    for n in growth:
        # With N years built: the pipeline phase's state when it built as many.
        if n == years:
            name, built = "pipeline", bench.phases["pipeline"]
        else:
            name, env = f"growth_{n}", bench.folder(f"growth_{n}", all_files[:n])
            built = bench.run(f"base_{n}", f"pipeline, {_plural(n, 'year')} (growth base)", pipeline, env)
        if built.status == "ok":
            before = landed_files(bench.warehouse(name))
            new_file = all_files[n]
            (bench.work / name / "raw" / "baci" / new_file.name).symlink_to(new_file)
            step = bench.run(
                f"growth_{n}", f"one more year with {n} built", growth_command(new_file), bench.envs[name]
            )
            if step.status == "ok":
                step.note = f"files landed: {landed_files(bench.warehouse(name)) - before}"
                print(f"  {step.note}")
        bench.discard(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=3, help="years of phases 1-4 (default 3)")
    parser.add_argument("--rows-per-year", type=int, default=scale.DEFAULT_ROWS_PER_YEAR)
    parser.add_argument("--growth", default="1,2,4", help="the N years built before one more (default 1,2,4)")
    parser.add_argument("--data", type=Path, help="folder of the generated files, reused when it holds them")
    parser.add_argument(
        "--work", type=Path, help="folder for the temporary warehouses (default: the temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder: warehouses and logs")
    parser.add_argument(
        "--write-results",
        nargs="?",
        const=RESULTS,
        type=Path,
        metavar="FILE",
        help="write the results to benchmarks/RESULTS.md (or FILE)",
    )
    args = parser.parse_args(argv)
    args.command_line = " ".join(sys.argv[1:] if argv is None else argv)
    growth = sorted({int(n) for n in args.growth.split(",") if n})
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tradebloc-bench-", dir=args.work)).resolve()
    try:
        data = (args.data or work / "data").resolve()
        years = [FIRST_YEAR + n for n in range(max([args.years, *(n + 1 for n in growth)]))]
        all_files = prepare_data(data, years, args.rows_per_year)
        files = all_files[: args.years]
        bench = Bench(work, data, args.keep)
        print(f"work folder {work}, DuckDB {bench.duckdb}", flush=True)
        measure_phases(bench, args.years, files, all_files, growth)
        target_rows = targets(bench.phases, growth)
        print("\nTargets (tracked, never asserted):")
        for target, measured, met in target_rows:
            print(f"  {target:<64} {measured:>14}  {met}")
        if args.write_results:
            args.write_results.write_text(results_markdown(args, bench, files, target_rows), encoding="utf-8")
            print(f"\nwrote {args.write_results}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(p.status in ("ok", "out of memory") for p in bench.phases.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
