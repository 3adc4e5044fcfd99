"""Yearly partitions of the trade data: the landing of Comtrade and BACI files and the
yearly dbt models (fct_trade and its intermediates), so that a new year costs one
year's work. A range of years (a backfill) runs as one run.

What the yearly assets feed is not partitioned (it reads every year), but its marts
of fct_trade's years are incremental by year: a run tagged with YEARS_TAG recomputes
only those years' rows, one without it every year."""

from collections.abc import Mapping

import dagster as dg

FIRST_YEAR = "1995"  # BACI's first year

YEARLY = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *",
    fmt="%Y",
    start=FIRST_YEAR,
    end_offset=1,  # the current year too: monthly data arrives before the year ends
)
ONE_RUN_PER_RANGE = dg.BackfillPolicy.single_run()


def partition_years(context: dg.AssetExecutionContext) -> range:
    """The years of the partition, or of the range of partitions, being materialised."""
    keys = context.partition_key_range
    return range(int(keys.start), int(keys.end) + 1)


YEARS_TAG = "tradebloc/years"


def parse_years(text: str) -> list[int]:
    """'2024' or '2021-2024' -> the years."""
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def years_tag(years: list[int]) -> dict[str, str]:
    """The run tag that limits an unpartitioned run's yearly marts to these years."""
    return {YEARS_TAG: f"{min(years)}-{max(years)}"}


def tagged_years(tags: Mapping[str, str]) -> list[int] | None:
    """The years a run's YEARS_TAG names, or None (every year)."""
    return parse_years(tags[YEARS_TAG]) if YEARS_TAG in tags else None
