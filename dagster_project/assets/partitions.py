"""Yearly partitions of the trade data: the landing of Comtrade and BACI files and the
yearly dbt models (fct_trade and its intermediates), so that a new year costs one
year's work. A range of years (a backfill) runs as one run."""

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
