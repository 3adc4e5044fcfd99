"""The dbt project's SQL runs on DuckDB and on Spark: DuckDB-only syntax lives in a
dispatch macro's `duckdb__` implementation, nowhere else (docs/scaling.md). make spark
builds it all on Spark; this catches the usual slips in a second, without Java."""

import re
from pathlib import Path

import pytest

from dagster_project.settings import DBT_PROJECT_DIR

# DuckDB syntax that Spark 4 refuses or reads otherwise, and what to write instead.
DUCKDB_ONLY = {
    r"\bvarchar\b(?!\s*\()": "varchar without a length (Spark needs one): string",
    r"\*\s*exclude\s*\(": "* exclude (...): * except (...)",
    r"\bunnest\s*\(": "unnest: a dispatch macro (Spark: explode)",
    r"\blist_\w+\s*\(": "DuckDB's list functions: a dispatch macro",
    r"\bregexp_full_match\b": "regexp_full_match: a dispatch macro",
    r"\bstrpos\s*\(": "strpos: a dispatch macro or dbt.position",
    r"\bstarts_with\s*\(": "starts_with: a dispatch macro",
    r"\bstruct_pack\s*\(": "struct_pack: a dispatch macro",
    r"\bdatediff\s*\(\s*'": "datediff('part', a, b): dbt.datediff",
    r"\bdate_diff\s*\(": "date_diff: dbt.datediff",
    r"\bstrftime\s*\(": "strftime: a dispatch macro",
    r"\bhugeint\b": "hugeint: bigint or decimal",
    r"\blambda\s+\w+\s*:": "DuckDB's lambda: a dispatch macro",
    r"(?<![-'])\[\s*[\w'\"]": "a list literal [...]: a dispatch macro (Spark: array(...))",
    r"\{\s*'\w+'\s*:": "a struct literal {'k': v}: a dispatch macro (Spark: named_struct)",
    r",\s*\n\s*from\b": "a trailing comma before from (Spark refuses it)",
    r'"[A-Za-z_][\w ]*"': 'a "quoted" name: a string on Spark (dbt-spark turns ANSI mode off): '
    "a bare name, or adapter.quote",
}
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
COMMENT = re.compile(r"--[^\n]*")
# the implementations allowed to hold engine-specific SQL
DUCKDB_MACRO = re.compile(r"\{%-?\s*macro\s+duckdb__.*?\{%-?\s*endmacro\s*-?%\}", re.DOTALL)


def sql_files() -> list[Path]:
    return sorted(
        path for folder in ("models", "macros", "tests") for path in (DBT_PROJECT_DIR / folder).rglob("*.sql")
    )


def portable_text(sql: str) -> str:
    """The SQL both engines must read: without duckdb__ macros, Jinja and comments (their
    newlines kept, so line numbers still match)."""

    def blank(match: re.Match) -> str:
        return "\n" * match.group().count("\n")

    return COMMENT.sub("", JINJA.sub(blank, DUCKDB_MACRO.sub(blank, sql)))


def duckdb_only(text: str) -> list[str]:
    found = []
    for pattern, advice in DUCKDB_ONLY.items():
        for match in re.finditer(pattern, text, re.IGNORECASE):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {match.group().strip()!r}: {advice}")
    return found


@pytest.mark.parametrize("path", sql_files(), ids=lambda path: str(path.relative_to(DBT_PROJECT_DIR)))
def test_no_duckdb_only_sql_outside_a_dispatch_macro(path):
    found = duckdb_only(portable_text(path.read_text()))
    assert not found, f"{path}:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "sql",
    [
        "select cast(x as varchar) from t",
        "select * exclude (a) from t",
        "select unnest(xs) from t",
        "select list_sum(xs) from t",
        "select [1, 2] as xs",
        "select {'a': 1} as s",
        "select datediff('day', a, b) from t",
        "select a,\n    b,\nfrom t",
        'select "refYear" from t',
    ],
)
def test_the_check_finds_duckdb_only_sql(sql):
    assert duckdb_only(portable_text(sql))


def test_the_check_leaves_jinja_comments_and_duckdb_macros_alone():
    sql = (
        "{% macro duckdb__xs() %}[1, 2]{% endmacro %}\n"
        "-- a comment may say varchar\n"
        "select {{ config(tags=['yearly']) }} a, cast(b as string), x::double from t"
    )
    assert not duckdb_only(portable_text(sql))
