"""Faults that real use brings: a killed landing, two builds at once, a reader holding
the warehouse, an unwritable or full disk. Each leaves what was landed intact.

(A file changed while it is landed: tests/landing/test_ledger.py. A reader holding
the serving copy through a build: tests/test_serving.py.)
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import resources, settings, summary, warehouse
from dagster_project.landing import SOURCE_KINDS, reference
from dagster_project.landing.errors import WarehouseWriteError
from dagster_project.landing.loader import land_source, ledger_discrepancies

REPO_RAW = settings.REPO_ROOT / "raw"
BACI = next(k for k in SOURCE_KINDS if k.name == "baci")
# Landing in another process, as a Dagster run does.
LAND_SCRIPT = """
import sys
from dagster_project import settings, warehouse
from dagster_project.landing import SOURCE_KINDS
from dagster_project.landing.loader import land_source
with warehouse.connect() as conn:
    for kind in SOURCE_KINDS:
        if kind.name in sys.argv[1:]:
            land_source(conn, kind, settings.load().raw_dir)
"""


def write_baci_file(raw_dir: Path, year: int, rows: int) -> Path:
    """A valid BACI flows file for `year` of `rows` distinct flows, written by DuckDB."""
    path = raw_dir / "baci" / f"BACI_HS17_Y{year}_V202501.csv"
    codes = sorted(code for system, code, *_ in reference.reference_rows() if system == "comtrade" and code)
    codes = codes[:50]
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as conn:
        conn.execute(
            f"""
            copy (
                select {year} as t, a.code as i, b.code as j, lpad(cast(p as varchar), 6, '0') as k,
                       round(1 + p * 0.37, 3) as v, round(p * 0.01, 3) as q
                from unnest({codes!r}) a(code), unnest({codes!r}) b(code),
                     range(1, {rows} // {len(codes) ** 2} + 2) r(p)
                order by p, i, j
                limit {rows}
            ) to '{path}' (header, delimiter ',')
            """
        )
    return path


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A raw folder and a warehouse path of this test's own, in the environment."""
    raw_dir, db = tmp_path / "raw", tmp_path / "warehouse" / "tradebloc.duckdb"
    raw_dir.mkdir()
    monkeypatch.setenv(settings.RAW_DIR_VAR, str(raw_dir))
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(db))
    return raw_dir, db


def land_in_process(*kinds: str):
    with warehouse.connect() as conn:
        return [land_source(conn, k, settings.load().raw_dir) for k in SOURCE_KINDS if k.name in kinds]


def held(db: Path) -> dict:
    """What the warehouse holds: the ledger's landed files and the BACI rows per file,
    after checking that every raw table reconciles with the ledger."""
    with duckdb.connect(str(db), read_only=True) as conn:
        tables = {name for (name,) in conn.execute("select table_name from duckdb_tables()").fetchall()}
        for kind in SOURCE_KINDS:
            for table in kind.tables:
                if table.name in tables:
                    assert ledger_discrepancies(conn, kind, table) == [], table.name
        return {
            "ledger": conn.execute(
                "select path, status, rows_loaded from raw._landing_ledger order by event_id"
            ).fetchall(),
            "baci_rows": dict(
                conn.execute("select _source_file, count(*) from raw.baci_flows group by all").fetchall()
            ),
        }


def test_a_landing_killed_mid_file_leaves_no_partial_rows_and_recovers(env):
    raw_dir, db = env
    write_baci_file(raw_dir, 2022, 1_000)
    land_in_process("baci")
    before = held(db)
    big = write_baci_file(raw_dir, 2023, 3_000_000)

    landing = subprocess.Popen([sys.executable, "-c", LAND_SCRIPT, "baci"], env=os.environ.copy())
    # Kill it once it writes the file's rows: the warehouse (or its WAL) starts to grow.
    size = db.stat().st_size
    wal = db.with_name(db.name + ".wal")
    while db.stat().st_size == size and not (wal.exists() and wal.stat().st_size > 0):
        assert landing.poll() is None, "the landing finished before it could be killed"
        time.sleep(0.005)
    landing.send_signal(signal.SIGKILL)
    assert landing.wait() == -signal.SIGKILL

    assert held(db) == before  # nothing of the killed file; the rest intact

    [report] = land_in_process("baci")
    assert {f.path: f.status for f in report.files}[f"baci/{big.name}"] == "landed"
    after = held(db)
    assert after["baci_rows"] == {**before["baci_rows"], f"baci/{big.name}": 3_000_000}


@pytest.mark.e2e
def test_two_builds_at_once_wait_for_each_other(tmp_path, dbt_manifest):
    """Two builds (of the landing, to keep it short) started together, sharing one
    Dagster home: the duckdb pool (one slot) makes each step wait for the other's;
    both succeed, and the second lands nothing new (the ledger)."""
    raw_dir = tmp_path / "raw"
    for kind in ("hts", "wdi"):
        shutil.copytree(REPO_RAW / kind, raw_dir / kind)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(settings.REPO_ROOT / "dagster_home" / "dagster.yaml", home)
    dg.DagsterInstance.from_config(str(home)).dispose()  # its storage exists before both start
    db = tmp_path / "warehouse" / "tradebloc.duckdb"
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        settings.RAW_DIR_VAR: str(raw_dir),
        settings.WAREHOUSE_VAR: str(db),
    }
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "dagster_project", "run", "--select", "group:landing", "--verbose"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [build.communicate(timeout=900)[0] for build in builds]
    for build, output in zip(builds, outputs, strict=True):
        assert build.returncode == 0, output[-3000:]
    assert any("Step blocked by limit for pool duckdb" in output for output in outputs)

    state = held(db)
    assert {status for _, status, _ in state["ledger"]} == {"landed"}  # the second landed nothing new
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.wdi_indicator_values").fetchone()[0] > 0


@contextlib.contextmanager
def holding(db: Path, read_only: bool = True, seconds: float | None = None):
    """Another process holding the warehouse open (a reader by default) until the block
    ends, or for `seconds` only; yields its PID once the file is open."""
    let_go = f"time.sleep({seconds})" if seconds is not None else "sys.stdin.read()"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}, read_only={read_only}); "
            f"print('open', flush=True); {let_go}",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "open\n"
        yield holder.pid
    finally:
        holder.communicate("")


def test_a_reader_holding_the_warehouse_makes_the_landing_fail_clearly(env):
    """DuckDB allows no writer beside a reader of the same file: the build waits a few
    seconds, then stops with a message that names the holder, lands nothing, and
    succeeds once it is gone. (Readers are meant to use the serving copy, which never
    blocks a build.)"""
    raw_dir, db = env
    write_baci_file(raw_dir, 2022, 100)
    land_in_process("baci")
    before = held(db)
    write_baci_file(raw_dir, 2023, 100)
    with holding(db) as pid:
        with pytest.raises(warehouse.WarehouseUnavailable) as error:
            land_in_process("baci")
        assert str(db) in str(error.value)
        assert f"PID {pid}" in str(error.value)
        assert "serving copy" in str(error.value)
    assert held(db) == before
    land_in_process("baci")
    assert len(held(db)["baci_rows"]) == 2


def test_a_reader_that_lets_go_within_seconds_only_delays_the_landing(env):
    """Another build's closing summary reads the warehouse for a moment: a landing
    that starts then waits for it instead of failing."""
    raw_dir, db = env
    write_baci_file(raw_dir, 2022, 100)
    land_in_process("baci")
    write_baci_file(raw_dir, 2023, 100)
    with holding(db, seconds=1.5):
        land_in_process("baci")
    assert len(held(db)["baci_rows"]) == 2


def test_dbt_waits_for_a_reader_that_lets_go_within_seconds(env):
    """dbt's own connection waits the same way (profiles.yml, retries): `dbt debug`
    opens the warehouse as a build's first step does."""
    _, db = env
    warehouse.connect().close()
    project = str(settings.DBT_PROJECT_DIR)
    command = [str(resources.DBT_EXECUTABLE), "debug", "--project-dir", project, "--profiles-dir", project]
    command += ["--log-path", str(db.parent / "logs")]
    environment = os.environ | settings.load().dbt_env()
    with holding(db, seconds=3):
        debug = subprocess.run(command, env=environment, capture_output=True, text=True)
    assert debug.returncode == 0, debug.stdout[-2000:]
    assert "OK connection ok" in debug.stdout


def test_the_summary_of_a_warehouse_another_build_writes_says_so(env):
    """A build's closing summary while another build writes: a note, not a failure."""
    _, db = env
    warehouse.connect().close()
    with holding(db, read_only=False) as pid:
        text = summary.render()
    assert text.startswith(f"No summary for now: {db}: the warehouse is open in another process")
    assert f"PID {pid}" in text
    assert text.endswith("Once it is free: python -m dagster_project summary")


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs: a real full disk, and remountable read-only. Needs root."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


@pytest.fixture
def landed_on_small_disk(small_disk, env, monkeypatch):
    """A warehouse on the small disk with one BACI year landed: (raw folder, warehouse, what it holds)."""
    raw_dir, _ = env
    db = small_disk / "tradebloc.duckdb"
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(db))
    write_baci_file(raw_dir, 2022, 1_000)
    land_in_process("baci")
    return raw_dir, db, held(db)


def test_a_full_disk_fails_clearly_and_keeps_what_was_landed(landed_on_small_disk):
    raw_dir, db, before = landed_on_small_disk
    big = write_baci_file(raw_dir, 2023, 2_000_000)

    with pytest.raises(WarehouseWriteError) as error:
        land_in_process("baci")
    message = str(error.value)
    assert message.startswith(f"{db}: could not write the warehouse while landing baci/{big.name}")
    assert "No space left on device" in message
    assert held(db) == before

    big.unlink()  # with room again (the big file gone), landing goes on as before
    [report] = land_in_process("baci")
    assert [f.status for f in report.files] == ["unchanged"]


def test_a_read_only_warehouse_fails_clearly_and_keeps_what_was_landed(landed_on_small_disk):
    raw_dir, db, before = landed_on_small_disk
    write_baci_file(raw_dir, 2023, 1_000)
    subprocess.run(["mount", "-o", "remount,ro", str(db.parent)], check=True)
    try:
        with pytest.raises(warehouse.WarehouseUnavailable) as error:
            land_in_process("baci")
        assert str(error.value) == (
            f'{db}: cannot open the warehouse for writing: IO Error: Cannot open file "{db}": '
            "Read-only file system"
        )
        assert held(db) == before
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(db.parent)], check=True)


def test_a_warehouse_folder_that_cannot_be_made_fails_clearly(env, monkeypatch, tmp_path):
    (tmp_path / "taken").write_text("a file where the warehouse folder should be")
    db = tmp_path / "taken" / "tradebloc.duckdb"
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(db))
    with pytest.raises(warehouse.WarehouseUnavailable, match="cannot create the warehouse folder"):
        warehouse.connect()
