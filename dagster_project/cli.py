"""`tradebloc query "SELECT ..."`, `tradebloc sql` and `tradebloc tariff`: read-only SQL on the serving copy.

Both open warehouse/serving/tradebloc.duckdb (published after every successful
build), never the warehouse the pipeline writes, through serving.open_reader: no
statement can write to it or reach the file system.
"""

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

import duckdb

from . import serving, settings
from .landing.formats import sql_string

# The US duty on an exporter's goods on a day, each authority's part and the rule that
# decided the total, for every HTS8 line under a code (HS6, HTS8 or any prefix); the README
# shows the same query.
TARIFF_SQL = """
select hts8, base_rate_pct, base_rate_source, section_232_pct, section_301_pct, ieepa_fentanyl_pct,
    ieepa_reciprocal_pct, section_122_pct, other_pct, total_rate_pct, total_rule, valid_from, valid_to
from marts.fct_us_tariff_schedule
where exporter_iso3 = $exporter and hts8 like $code || '%'
    and $day between valid_from and coalesce(valid_to, date '9999-12-31')
order by hts8
"""


def _render(conn: duckdb.DuckDBPyConnection, sql: str, parameters: dict | None = None) -> None:
    cursor = conn.execute(sql, parameters)
    if cursor.description is None:
        return
    rows = cursor.fetchall()
    columns = [column[0] for column in cursor.description]
    out = sys.stdout
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    print(" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)), file=out)
    print("-+-".join("-" * w for w in widths), file=out)
    for row in cells:
        print(" | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)), file=out)
    print(f"({len(rows)} rows)", file=out)


def query(sql: str, output: Path | None = None) -> None:
    serving.check_read_only(sql)
    serving_file = settings.load().serving_dir / serving.SERVING_FILE
    if output is None:
        with serving.open_reader(serving_file) as conn:
            _render(conn, sql)
        return
    output = output.resolve()
    if len(duckdb.extract_statements(sql)) != 1:
        raise SystemExit("--output takes exactly one statement")
    if output.suffix == ".parquet":
        # the reader may write this one file and nothing else
        with serving.open_reader(serving_file, allowed_outputs=(output,)) as conn:
            target = sql_string(str(output))
            conn.execute(f"copy ({sql.strip().rstrip(';')}) to {target} (format parquet)")
    elif output.suffix == ".csv":
        with (
            serving.open_reader(serving_file) as conn,
            output.open("w", newline="", encoding="utf-8") as handle,
        ):
            cursor = conn.execute(sql)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([column[0] for column in cursor.description])
            while batch := cursor.fetchmany(10_000):
                writer.writerows(batch)
    else:
        raise SystemExit(f"{output}: expected a .csv or .parquet output file")
    print(f"wrote {output}")


def tariff(exporter: str, code: str, day: str) -> None:
    """Print the US duty on `exporter`'s goods under `code` on `day` (TARIFF_SQL)."""
    serving_file = settings.load().serving_dir / serving.SERVING_FILE
    parameters = {"exporter": exporter.upper(), "code": code.replace(".", ""), "day": day}
    print(f"US duty on goods of {parameters['exporter']} under {code} on {day}, percent:")
    with serving.open_reader(serving_file) as conn:
        _render(conn, TARIFF_SQL, parameters)


def shell() -> None:
    """An interactive prompt: statements end with ';'."""
    serving_file = settings.load().serving_dir / serving.SERVING_FILE
    print(f"tradebloc (read-only): {serving_file}\nEnd statements with ';', quit with Ctrl-D.")
    with serving.open_reader(serving_file) as conn:
        buffer = ""
        while True:
            try:
                line = input("tradebloc> " if not buffer else "      ...> ")
            except EOFError:
                print()
                return
            buffer += line + "\n"
            if not buffer.strip().endswith(";"):
                continue
            try:
                serving.check_read_only(buffer)
                _render(conn, buffer)
            except (serving.ReadOnlyError, duckdb.Error) as error:
                print(f"error: {error}")
            buffer = ""


def _day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a day as YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tradebloc", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    query_parser = commands.add_parser("query", help="run one read-only query")
    query_parser.add_argument("sql")
    query_parser.add_argument("--output", type=Path, help="write the result to a .csv or .parquet file")
    commands.add_parser("sql", help="an interactive read-only SQL prompt")
    tariff_parser = commands.add_parser("tariff", help="the US duty on a product from a partner on a day")
    tariff_parser.add_argument("--from", dest="exporter", required=True, help="exporter ISO3 code, e.g. CHN")
    tariff_parser.add_argument("--hs", required=True, help="HS6, HTS8 or any prefix, e.g. 870380")
    tariff_parser.add_argument("--on", required=True, type=_day, help="the day, YYYY-MM-DD")
    args = parser.parse_args(argv)
    try:
        if args.command == "query":
            query(args.sql, args.output)
        elif args.command == "tariff":
            tariff(args.exporter, args.hs, args.on)
        else:
            shell()
    except (serving.ReadOnlyError, duckdb.Error, FileNotFoundError) as error:
        print(f"tradebloc: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
