"""Yearly partitions of the trade data, so that a new year costs one year's work.

The Comtrade and BACI landing and every year-scoped dbt model (dbt tag `yearly`:
the trade chain, the metric, mirror and tariff marts) are partitioned by year; a
range of years (a backfill, or `make run`) runs as one run, and dbt recomputes
exactly those years (TRADEBLOC_YEAR_FROM / _TO, macro run_year)."""

from collections.abc import Iterable
from pathlib import Path

import dagster as dg

from ..landing import SOURCE_KINDS
from ..landing.loader import source_files
from ..landing.years import file_years

FIRST_YEAR = "1995"  # BACI's first year

YEARLY = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *",
    fmt="%Y",
    start=FIRST_YEAR,
    end_offset=1,  # the current year too: monthly data arrives before the year ends
)
ONE_RUN_PER_RANGE = dg.BackfillPolicy.single_run()
# The sources whose files are yearly (landing/years.py reads a file's years from its name).
YEARLY_KINDS = ("comtrade", "baci")
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def partition_years(context: dg.AssetExecutionContext) -> range:
    """The years of the partition, or of the range of partitions, being materialised."""
    keys = context.partition_key_range
    return range(int(keys.start), int(keys.end) + 1)


def raw_years(raw_dir: Path) -> list[int]:
    """The years the yearly sources' files in `raw_dir` hold, by their names, within
    the partitions; the latest partition when there are none (its run still creates
    the yearly tables that the marts read)."""
    valid = {int(key) for key in YEARLY.get_partition_keys()}
    years = {
        year
        for kind in SOURCE_KINDS
        if kind.name in YEARLY_KINDS
        for path in source_files(raw_dir, kind)
        for year in file_years(path) or ()
    }
    return sorted(years & valid) or [max(valid)]


def range_tags(years: Iterable[int]) -> dict[str, str]:
    """Run tags that make one run of the yearly assets cover these years (and those between)."""
    years = list(years)
    return {RANGE_START: str(min(years)), RANGE_END: str(max(years))}


def parse_years(text: str) -> list[int]:
    """'2024' or '2021-2024' -> the years."""
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))
