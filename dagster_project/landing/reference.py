"""The country-code reference every landing check and dim_country resolve against.

ISO 3166 comes from pycountry (a maintained library); the trade sources' own
numeric codes that differ from ISO (842 USA, 490 Taiwan, 251 France, ...) are
explicit exceptions in country_code_exceptions.csv, each with a note.
"""

import csv
from pathlib import Path

import duckdb
import pycountry

EXCEPTIONS_CSV = Path(__file__).with_name("country_code_exceptions.csv")
TABLE = "raw.reference_country_codes"
COLUMNS = (
    ("code_system", "VARCHAR"),
    ("code", "INTEGER"),
    ("iso3", "VARCHAR"),
    ("iso2", "VARCHAR"),
    ("name", "VARCHAR"),
    ("is_aggregate", "BOOLEAN"),
    ("note", "VARCHAR"),
)


def reference_rows() -> list[tuple]:
    """Rows of (code_system, code, iso3, iso2, name, is_aggregate, note)."""
    with EXCEPTIONS_CSV.open(encoding="utf-8", newline="") as handle:
        exceptions = list(csv.DictReader(handle))
    rows = {}
    for country in pycountry.countries:
        code = int(country.numeric)
        for system in ("iso_numeric", "comtrade"):
            rows[system, code] = (
                system,
                code,
                country.alpha_3,
                country.alpha_2,
                country.name,
                False,
                "ISO 3166",
            )
    for row in exceptions:
        system, code, iso3 = row["code_system"], int(row["code"]), row["iso3"]
        if system == "comtrade":
            # The trade source's code replaces the ISO one for the same country.
            for key in [k for k, v in rows.items() if k[0] == system and v[2] == iso3]:
                del rows[key]
        rows[system, code] = (
            system,
            code,
            iso3,
            row["iso2"] or None,
            row["name"],
            row["is_aggregate"] == "true",
            row["note"],
        )
    return sorted(rows.values(), key=lambda r: (r[0], r[1]))


def refresh(conn: duckdb.DuckDBPyConnection) -> int:
    """Replace the reference table; returns its row count."""
    conn.execute("create schema if not exists raw")
    columns = ", ".join(f"{name} {type_}" for name, type_ in COLUMNS)
    conn.execute(f"create or replace table {TABLE} ({columns}, primary key (code_system, code))")
    rows = reference_rows()
    # One statement over column lists: executemany costs a statement per row.
    unnested = ", ".join("unnest(?)" for _ in COLUMNS)
    by_column = [list(column) for column in zip(*rows, strict=True)]
    conn.execute(f"insert into {TABLE} select {unnested}", by_column)
    return len(rows)
