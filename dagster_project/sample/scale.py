"""BACI-format files at real scale, for benchmarks (never committed).

    python -m dagster_project.sample.scale --out DIR --years 2019-2023 --rows-per-year 10000000

writes DIR/baci/BACI_HS17_Y<year>_V202401.csv for each year, plus the
country_codes_V202401.csv and product_codes_HS17_V202401.csv the landing needs, in
the exact format of the real download (t,i,j,k,v,q; v in thousands of USD with three
decimals; q in tonnes, sometimes blank or padded with spaces).

The shape follows a year of BACI HS17: 200 exporters and importers, 5,000 HS6
products, about 10 million flows a year. Country sizes fall off as a power of their
rank, so a few pairs trade nearly every product and most pairs a handful; values are
lognormal, so a few flows are large and most are small; a pair trades mostly the same
products from one year to the next. Everything is computed in DuckDB from range() and
hash(), so 10 million rows take seconds, and the files are the same bytes for the same
arguments (and DuckDB version).
"""

import argparse
import csv
import json
import math
from pathlib import Path

import duckdb

from .. import settings
from ..landing import reference
from ..landing.formats import sql_string
from .catalog import COUNTRIES as SAMPLE_COUNTRIES
from .catalog import PRODUCTS as SAMPLE_PRODUCTS

VERSION = "V202401"
COUNTRY_COUNT = 200
PRODUCT_COUNT = 5_000
DEFAULT_YEARS = "2019-2023"
DEFAULT_ROWS_PER_YEAR = 10_000_000
# Written beside the files (hidden, so never landed) to say what generated them.
MARKER = ".scale.json"
# How fast country size falls with rank (Zipf-like), and the spread of flow values.
SIZE_EXPONENT = 1.2
VALUE_SIGMA = 2.0
# ISO lists these, but nobody trades from them.
UNINHABITED = {"ATA", "BVT", "HMD", "SGS", "UMI"}


def flow_file(folder: Path, year: int) -> Path:
    return folder / f"BACI_HS17_Y{year}_{VERSION}.csv"


def parse_years(text: str) -> list[int]:
    """'2019-2023' or '2019,2021' -> the list of years."""
    if "-" in text:
        first, last = (int(part) for part in text.split("-"))
        return list(range(first, last + 1))
    return [int(part) for part in text.split(",")]


def countries() -> list[tuple[int, str, str, str]]:
    """(BACI code, name, iso2, iso3), largest traders first: the sample's countries by
    size (those of its gravity model), then the bloc members (so every bloc of the
    marts has its members), then the others by code. Codes come from the landing's
    country reference, so every one passes its known-code check."""
    known = {
        row[2]: row
        for row in reference.reference_rows()
        # code_system, code, iso3, iso2, name, is_aggregate: real countries only
        if row[0] == "comtrade" and not row[5] and row[3] and row[2] not in UNINHABITED
    }
    seeds = settings.DBT_PROJECT_DIR / "seeds" / "bloc_memberships.csv"
    with seeds.open(encoding="utf-8", newline="") as handle:
        bloc_members = sorted({row["iso3"] for row in csv.DictReader(handle)})
    by_size = [c.iso3 for c in sorted(SAMPLE_COUNTRIES, key=lambda c: -c.size) if not c.listed_flows_only]
    others = sorted(known, key=lambda iso3: known[iso3][1])
    ordered = list(dict.fromkeys(iso3 for iso3 in [*by_size, *bloc_members, *others] if iso3 in known))
    return [(known[iso3][1], known[iso3][4], known[iso3][3], iso3) for iso3 in ordered[:COUNTRY_COUNT]]


def _setup(conn: duckdb.DuckDBPyConnection, codes: list[int], rows_per_year: int) -> float:
    """Tables countries(rank, code, ln_size), products(idx, code, description, ln_size,
    ln_usd_per_kg) and pairs(i, j, weight, step, offset); returns the scale of products
    per pair weight that gives about rows_per_year rows."""
    conn.execute(
        f"""
        create table countries as
        select rank, code, -{SIZE_EXPONENT} * ln(rank) as ln_size
        from (select unnest(?) as rank, unnest(?) as code)
        """,
        [list(range(1, len(codes) + 1)), codes],
    )
    # The sample's products (real codes, so the sectors of dim_product show up), then a
    # grid of chapter x heading x subheading codes: 96 chapters (77 is unused) x 13 x 4.
    conn.execute(
        f"""
        create table products as
        with candidates as (
            select unnest(?) as code, unnest(?) as description, 0 as grid
            union all
            select lpad(chapter::varchar, 2, '0') || lpad(heading::varchar, 2, '0')
                   || lpad(sub::varchar, 2, '0'), null, 1
            from range(1, 98) c(chapter), range(1, 14) h(heading), unnest([10, 20, 30, 90]) s(sub)
            where chapter != 77
        ),
        chosen as (
            select code, max(description) as description from candidates
            group by code
            order by min(grid), hash(code)
            limit {PRODUCT_COUNT}
        )
        select row_number() over (order by code) - 1 as idx, code,
            coalesce(description, 'Synthetic product ' || code) as description,
            {_normal("code, 'size'")} - 0.5 as ln_size,
            ln(3) + 1.5 * {_normal("code, 'price'")} as ln_usd_per_kg
        from chosen
        """,
        [[p[0] for p in SAMPLE_PRODUCTS], [p[1] for p in SAMPLE_PRODUCTS]],
    )
    coprimes = [a for a in range(1, PRODUCT_COUNT) if math.gcd(a, PRODUCT_COUNT) == 1]
    # Each pair walks the products with its own step (coprime with their number), so
    # its first n products are n distinct ones, and mostly the same ones every year.
    conn.execute(
        f"""
        create table pairs as
        select e.code as i, m.code as j, exp(e.ln_size + m.ln_size) as weight,
            list_extract(?, 1 + (hash(e.code, m.code, 'step') % {len(coprimes)})::integer) as step,
            (hash(e.code, m.code, 'offset') % {PRODUCT_COUNT})::integer as "offset"
        from countries e, countries m
        where e.code != m.code
        """,
        [coprimes],
    )
    # Products per pair = least(all, scale x weight): find the scale that gives the rows.
    low, high = 0.0, 1.0
    while _expected_rows(conn, high) < rows_per_year and high < 1e15:
        high *= 2
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if _expected_rows(conn, middle) < rows_per_year else (low, middle)
    # Rounded: a parallel sum may differ in its last bits, the files must not.
    return float(f"{high:.9g}")


def _expected_rows(conn, scale: float) -> float:
    return conn.execute(f"select sum(least({PRODUCT_COUNT}, {scale} * weight)) from pairs").fetchone()[0]


def _uniform(args: str) -> str:
    """A pseudo-random number in (0, 1) drawn from hash(args)."""
    return f"((hash({args}) % 9007199254740992)::double + 0.5) / 9007199254740992"


def _normal(args: str) -> str:
    """A standard normal draw (Box-Muller) from two hashes of args."""
    u1, u2 = _uniform(f"{args}, 'u1'"), _uniform(f"{args}, 'u2'")
    return f"(sqrt(-2 * ln({u1})) * cos(2 * pi() * {u2}))"


def _write_year(conn: duckdb.DuckDBPyConnection, year: int, scale: float, path: Path) -> int:
    """Write one year's flow file; return its row count."""
    # The pair's product count varies a little by year (+-10%), and its fraction is
    # rounded at random, so pairs expecting less than one product sometimes trade one.
    wobble, rounding = _uniform(f"i, j, {year}, 'n'"), _uniform(f"i, j, {year}, 'round'")
    (rows,) = conn.execute(
        f"""
        copy (
            with counts as (
                select *,
                    floor({scale!r} * weight * (0.9 + 0.2 * {wobble}) + {rounding})::integer as wanted,
                    least({PRODUCT_COUNT}, wanted) as n
                from pairs
            ),
            flows as (
                select i, j, ("offset" + r * step) % {PRODUCT_COUNT} as product, ln(weight) as ln_weight
                from (select *, unnest(range(n)) as r from counts where n > 0)
            ),
            valued as (
                select flows.i, flows.j, products.code as k, products.ln_usd_per_kg,
                    exp(11 + 0.5 * ln_weight + products.ln_size + 0.03 * ({year} - 2020)
                        + {VALUE_SIGMA} * {_normal(f"flows.i, flows.j, products.code, {year}, 'v'")}
                        - {VALUE_SIGMA**2 / 2}) as thousand_usd,
                    {_uniform(f"flows.i, flows.j, products.code, {year}, 'q'")} as q_draw
                from flows
                join products on products.idx = flows.product
            )
            select
                {year} as t, i, j, k,
                printf('%.3f', greatest(thousand_usd, 0.001)) as v,
                case
                    when q_draw < 0.025 then null  -- BACI leaves about 2-3% of quantities blank
                    when q_draw < 0.035 then '   ' || printf('%.3f', thousand_usd / exp(ln_usd_per_kg))
                    else printf('%.3f', thousand_usd / exp(ln_usd_per_kg))
                end as q
            from valued
            order by i, j, k
        ) to {sql_string(str(path))} (header, delimiter ',')
        """
    ).fetchone()
    return rows


def generate(out: Path, years: list[int], rows_per_year: int = DEFAULT_ROWS_PER_YEAR) -> dict[Path, int]:
    """Write the files into out/baci/; return the yearly flow files and their row counts."""
    folder = out / "baci"
    folder.mkdir(parents=True, exist_ok=True)
    country_rows = countries()
    with duckdb.connect(config=settings.load().duckdb_config()) as conn:
        scale = _setup(conn, [row[0] for row in country_rows], rows_per_year)
        country_file = sql_string(str(folder / f"country_codes_{VERSION}.csv"))
        conn.execute(
            f"""
            copy (
                select unnest(?) as country_code, unnest(?) as country_name,
                       unnest(?) as country_iso2, unnest(?) as country_iso3
                order by country_code
            ) to {country_file} (header, delimiter ',')
            """,
            [list(column) for column in zip(*country_rows, strict=True)],
        )
        product_file = sql_string(str(folder / f"product_codes_HS17_{VERSION}.csv"))
        conn.execute(
            f"copy (select code, description from products order by code) to {product_file} (header)"
        )
        files = {
            flow_file(folder, year): _write_year(conn, year, scale, flow_file(folder, year)) for year in years
        }
    (folder / MARKER).write_text(json.dumps({"years": years, "rows_per_year": rows_per_year}) + "\n")
    return files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.sample.scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write baci/ into (outside the repo)"
    )
    parser.add_argument("--years", default=DEFAULT_YEARS, help="e.g. 2019-2023 or 2019,2020")
    parser.add_argument("--rows-per-year", type=int, default=DEFAULT_ROWS_PER_YEAR)
    args = parser.parse_args(argv)
    for path, rows in generate(args.out.resolve(), parse_years(args.years), args.rows_per_year).items():
        print(f"wrote {path}: {rows:,} rows, {path.stat().st_size / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
