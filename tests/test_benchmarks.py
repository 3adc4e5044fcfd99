"""The benchmark at a tiny scale: every phase runs and is printed, and the repository is
left alone (benchmarks/RESULTS.md is written only when asked, here to a temp file).
Its numbers are never asserted: benchmarks measure, they do not pass or fail."""

import subprocess
import sys

import pytest

from benchmarks.run import RESULTS, Phase, targets
from dagster_project import settings

pytestmark = pytest.mark.benchmark

PHASES = (
    "floor: DuckDB read_csv, 1 year",
    "landing, 1 year",
    "pipeline with no trade rows (fixed cost)",
    "dbt build alone, no trade rows",
    "pipeline (land + dbt build), 1 year",
    "pandas, 1 year",
    "one more year with 1 built",
)


def test_benchmark_runs_every_phase_and_leaves_the_repo_alone(tmp_path):
    before = RESULTS.read_bytes() if RESULTS.exists() else None
    results = tmp_path / "RESULTS.md"
    # --growth 1 with --years 1 continues from the pipeline phase's warehouse: three
    # pipeline runs in all (with the fixed cost's), the least that measures every phase.
    command = [
        *(sys.executable, "-m", "benchmarks.run", "--years", "1", "--rows-per-year", "20000"),
        *("--growth", "1", "--data", str(tmp_path / "data"), "--work", str(tmp_path / "work")),
        *("--write-results", str(results)),
    ]
    run = subprocess.run(command, cwd=settings.REPO_ROOT, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout + run.stderr

    lines = run.stdout.splitlines()
    for phase in PHASES:
        printed = [line for line in lines if line.startswith(phase)]
        assert printed and printed[0].endswith("ok") and " MB " in printed[0], run.stdout
        assert f"| {phase} |" in results.read_text()
    assert "pandas: same mart as dbt" in run.stdout  # the pandas baseline does the same work
    assert "files landed: 1" in run.stdout  # one more year lands just its own file
    assert "Targets (tracked, never asserted)" in run.stdout
    assert (RESULTS.read_bytes() if RESULTS.exists() else None) == before
    assert not list((tmp_path / "work").iterdir())  # its warehouses are removed


def test_targets_count_pandas_running_out_of_memory_as_met():
    phases = {
        "floor": Phase("floor", 10.0, 500),
        "landing": Phase("landing", 12.0, 900),
        "fixed": Phase("fixed", 20.0, 400),
        "pipeline": Phase("pipeline", 40.0, 2000),
        "pandas": Phase("pandas", 30.0, 9000, "out of memory"),
        "growth_1": Phase("+1", 6.0, 1000),
        "growth_2": Phase("+1", 9.0, 1000),
    }
    met = {target: (measured, ok) for target, measured, ok in targets(phases, [1, 2])}
    assert met["landing <= 1.5x the floor"] == ("1.20", "yes")
    assert met["fixed cost <= 15 s"] == ("20.00", "no")
    assert met["whole pipeline <= 3.0x the floor"] == ("4.00", "no")
    assert met["one more year <= 1.5x one year's landing (worst N)"] == ("0.75", "yes")
    assert met["one more year flat in N (slowest / fastest <= 1.25)"] == ("1.50", "no")
    assert met["peak memory <= 6 GB"] == ("1.95", "yes")  # pandas' own memory is not ours
    assert met["pandas >= 5.0x slower than the pipeline"] == ("out of memory", "yes")
