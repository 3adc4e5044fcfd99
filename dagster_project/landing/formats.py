"""Declarative descriptions of the raw file formats the landing layer reads.

A format says which header identifies it, its delimiter and preamble, the
DuckDB type of each column, which rows are bad (checks), its key, and how its
typed rows become rows of a raw table. Each source module (comtrade.py, baci.py,
...) declares its formats and tables with these classes; delimited.py turns a
format into options of DuckDB's CSV reader and SQL, and loader.py runs it. No
format has parsing code of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "VARCHAR"
    required: bool = False  # an empty value quarantines the row
    # The publisher writes a missing value as NA, empty or spaces: all are NULL here.
    na: bool = False
    description: str = ""


@dataclass(frozen=True)
class Check:
    """A row rule: `bad_when` is a SQL predicate over the typed columns; `reason` a
    SQL string expression saying what was expected (it may quote the value)."""

    bad_when: str
    reason: str


@dataclass(frozen=True)
class RawTable:
    name: str  # table in schema raw, named <source>_<entity>
    columns: tuple[Column, ...]
    description: str = ""


@dataclass(frozen=True)
class FileFormat:
    name: str
    table: RawTable
    delimiter: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    preamble_lines: int = 0  # lines before the header (WDI has 4)
    # Wide formats (WDI): any number of "YYYY" columns after the named ones.
    year_column_type: str | None = None
    # SQL that selects the raw table's columns from the relation `good` (the
    # accepted typed rows); None selects the table's columns by name.
    project: Callable[[list[str]], str] | None = None
    description: str = ""

    @property
    def header_line(self) -> int:
        return self.preamble_lines + 1


@dataclass(frozen=True)
class SourceKind:
    """One folder under raw/: its formats and the raw tables they fill."""

    name: str  # the folder name and the table-name prefix
    formats: tuple[FileFormat, ...]
    description: str = ""
    tables: tuple[RawTable, ...] = field(default=())

    def __post_init__(self):
        if not self.tables:
            tables = {f.table.name: f.table for f in self.formats}
            object.__setattr__(self, "tables", tuple(tables.values()))


def sql_string(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def quoted_value(column: str) -> str:
    """SQL that renders a column's value for a message, e.g. 'abc' or NULL."""
    return f"coalesce('''' || cast({ident(column)} as varchar) || '''', 'empty')"


# Checks shared by several sources.


def hs6_check(column: str) -> Check:
    col = ident(column)
    return Check(
        bad_when=f"not regexp_full_match({col}, '[0-9A-Z]{{6}}')",
        reason=(
            f"'column {column}: expected a 6-character HS code as text, found ' || {quoted_value(column)}"
            f" || case when regexp_full_match({col}, '[0-9]{{5}}') "
            "then ' (a leading zero lost?)' else '' end"
        ),
    )


def non_negative_check(column: str) -> Check:
    return Check(
        bad_when=f"{ident(column)} < 0",
        reason=f"'column {column}: a trade value cannot be negative, found ' || {ident(column)}",
    )


def known_code_check(column: str, code_system: str) -> Check:
    """The code must be one the country reference knows (raw.reference_country_codes)."""
    return Check(
        bad_when=(
            f"{ident(column)} not in (select code from raw.reference_country_codes "
            f"where code_system = {sql_string(code_system)})"
        ),
        reason=(
            f"'column {column}: country code ' || {ident(column)} || "
            f"' is not a known {code_system} code (see raw.reference_country_codes)'"
        ),
    )
