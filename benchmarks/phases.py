"""The work of one benchmark phase, run by benchmarks.run in a fresh process of its own
so that its wall time and peak memory are its alone.

    python -m benchmarks.phases floor|landing

Both read TRADEBLOC_RAW_DIR and write TRADEBLOC_WAREHOUSE, with the DuckDB memory
limit and threads of dagster_project.settings, as the pipeline does.
"""

import sys

import duckdb

from dagster_project import settings, warehouse
from dagster_project.landing.baci import BACI, FLOWS
from dagster_project.landing.formats import sql_string
from dagster_project.landing.loader import land_source


def floor() -> int:
    """DuckDB alone: the yearly files into one typed table, nothing checked. What no
    landing that reads the same files into the same database can beat."""
    config = settings.load()
    files = sorted(str(p) for p in (config.raw_dir / "baci").glob("BACI_*.csv"))
    columns = "{" + ", ".join(f"{sql_string(c.name)}: {sql_string(c.type)}" for c in FLOWS.columns) + "}"
    config.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(config.warehouse), config=config.duckdb_config()) as conn:
        conn.execute(
            f"create table baci_flows as select * from read_csv(?, columns={columns}, header=true)", [files]
        )
        (rows,) = conn.execute("select count(*) from baci_flows").fetchone()
    print(f"floor: {len(files)} files, {rows} rows")
    return 0


def landing() -> int:
    """Our landing of the same folder: every row parsed, typed, checked, ledgered."""
    config = settings.load()
    with warehouse.connect() as conn:
        report = land_source(conn, BACI, config.raw_dir)
    for result in report.files:
        print(
            f"landing: {result.path} {result.status}, {result.rows_loaded} rows loaded, "
            f"{result.rows_quarantined} quarantined {result.message}".rstrip()
        )
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit({"floor": floor, "landing": landing}[sys.argv[1]]())
