"""The validation table of US tariff cases (fixtures/us_tariff_validation.csv): each case's
total and parts, worked out from the proclamations and orders in force that day (its
`sources` column), against marts.fct_us_tariff_schedule."""

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from dagster_project import settings
from dagster_project.resources import dbt_command

CASES = Path(__file__).parent / "fixtures" / "us_tariff_validation.csv"
# the schedule's column for each expected_<part>_pct of the table
PARTS = {
    "total": "total_rate_pct",
    **{
        part: f"{part}_pct"
        for part in ("section_232", "section_301", "ieepa_fentanyl", "ieepa_reciprocal", "section_122")
    },
}
TOLERANCE_PP = 0.01


def compare(conn: duckdb.DuckDBPyConnection) -> tuple[set[str], list[tuple]]:
    """The cases the schedule covers (its exporter and line are in it), and every case whose
    total or part differs by more than TOLERANCE_PP or which the schedule covers without an
    interval for its day."""
    differences = " or ".join(
        f"abs(schedule.{column} - cases.expected_{part}_pct) > {TOLERANCE_PP}"
        for part, column in PARTS.items()
    )
    rows = conn.execute(
        f"""
        with cases as (
            select * from read_csv('{CASES}', types={{'hts8': 'varchar', 'on_date': 'date'}})
        ),
        covered as (
            select distinct case_id
            from cases
            inner join marts.fct_us_tariff_schedule using (exporter_iso3, hts8)
        )
        select
            cases.case_id,
            covered.case_id is not null as is_covered,
            schedule.hts8 is null or {differences} as is_wrong,
            cases.expected_total_pct,
            schedule.total_rate_pct,
            schedule.total_rule,
        from cases
        left join covered using (case_id)
        left join marts.fct_us_tariff_schedule as schedule
            on schedule.exporter_iso3 = cases.exporter_iso3
            and schedule.hts8 = cases.hts8
            and cases.on_date between schedule.valid_from and coalesce(schedule.valid_to, date '9999-12-31')
        order by cases.case_id
        """
    ).fetchall()
    covered = {case for case, is_covered, *_ in rows if is_covered}
    wrong = [(case, *found) for case, is_covered, is_wrong, *found in rows if is_covered and is_wrong]
    return covered, wrong


def case_ids(where: str = "true") -> set[str]:
    rows = duckdb.execute(f"select case_id from read_csv('{CASES}') where {where}").fetchall()
    return {case for (case,) in rows}


def build_again(first: Path, folder: Path) -> tuple[int, int, int, int]:
    """dbt rebuilds the schedule, and the tables it is built from (not the yearly trade
    flows), in a copy of the built warehouse `first` made in `folder` (with dbt's target
    folder). Returns the rows of each build, and the rows of each that the other lacks
    (except all)."""
    copy, target = folder / first.name, folder / "target"
    shutil.copy(first, copy)
    dbt = dataclasses.replace(settings.load(), warehouse=copy)
    command = dbt_command(
        "run", "--select", "+fct_us_tariff_schedule,config.materialized:table", target_path=target
    )
    done = subprocess.run(command, env={**os.environ, **dbt.dbt_env()}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ran = {result["unique_id"] for result in json.loads((target / "run_results.json").read_text())["results"]}
    assert "model.tradebloc.fct_us_tariff_schedule" in ran
    again, first_build = "marts.fct_us_tariff_schedule", "first_build.marts.fct_us_tariff_schedule"
    with duckdb.connect(str(copy), read_only=True) as conn:
        conn.execute(f"attach '{first}' as first_build (read_only)")
        return conn.execute(
            f"""
            select
                (select count(*) from {again}),
                (select count(*) from {first_build}),
                (select count(*) from (from {again} except all from {first_build})),
                (select count(*) from (from {first_build} except all from {again}))
            """
        ).fetchone()
