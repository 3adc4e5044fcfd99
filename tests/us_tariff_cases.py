"""The validation table of US tariff cases (fixtures/us_tariff_validation.csv): each case's
total and parts, worked out from the proclamations and orders in force that day (its
`sources` column), against marts.fct_us_tariff_schedule."""

from pathlib import Path

import duckdb

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
    covered = conn.execute(
        f"""
        select distinct cases.case_id
        from read_csv('{CASES}', types={{'hts8': 'varchar', 'on_date': 'date'}}) as cases
        inner join marts.fct_us_tariff_schedule as schedule using (exporter_iso3, hts8)
        """
    ).fetchall()
    wrong = conn.execute(
        f"""
        select cases.case_id, cases.expected_total_pct, schedule.total_rate_pct, schedule.total_rule
        from read_csv('{CASES}', types={{'hts8': 'varchar', 'on_date': 'date'}}) as cases
        left join marts.fct_us_tariff_schedule as schedule
            on schedule.exporter_iso3 = cases.exporter_iso3
            and schedule.hts8 = cases.hts8
            and cases.on_date between schedule.valid_from and coalesce(schedule.valid_to, date '9999-12-31')
        where cases.case_id in (select unnest(?)) and (schedule.hts8 is null or {differences})
        order by cases.case_id
        """,
        [[case for (case,) in covered]],
    ).fetchall()
    return {case for (case,) in covered}, wrong


def case_ids(where: str = "true") -> set[str]:
    rows = duckdb.execute(f"select case_id from read_csv('{CASES}') where {where}").fetchall()
    return {case for (case,) in rows}
