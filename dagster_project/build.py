"""Materialise every asset, in the order the yearly partitions need.

A run is either for some years of the yearly assets (the Comtrade and BACI landing,
fct_trade and its intermediates) or for the unpartitioned ones, so a full build is
three runs, all recorded in the Dagster instance like a run from the UI:
1. the unpartitioned assets that do not depend on the yearly ones (reference
   codes, the other sources, most dimensions);
2. the yearly assets for every year the raw folder holds, as one run;
3. everything downstream of them (metric and tariff marts, serving).
A build of some years only (`python -m dagster_project run --years 2024`) skips the
first run, and the marts that are incremental by year recompute only those years.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from .assets.landing import YEARLY_KINDS
from .assets.partitions import YEARLY, years_tag
from .landing import SOURCE_KINDS
from .landing.loader import source_files
from .landing.years import file_years

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def raw_years(raw_dir: Path) -> list[int]:
    """The years the files of the yearly sources hold, by their names."""
    years = set()
    for kind in SOURCE_KINDS:
        if kind.name in YEARLY_KINDS:
            for path in source_files(raw_dir, kind):
                years |= file_years(path) or set()
    return sorted(years)


def year_range_tags(years: list[int]) -> dict[str, str]:
    """Run tags that make one run of the yearly assets cover these years."""
    return {RANGE_START: str(min(years)), RANGE_END: str(max(years))}


@dataclass(frozen=True)
class BuildPlan:
    """The assets of each run of a full build."""

    first: set[dg.AssetKey]  # unpartitioned, not fed by the yearly assets
    yearly: set[dg.AssetKey]
    downstream: set[dg.AssetKey]  # unpartitioned, fed by the yearly assets

    @classmethod
    def of(cls, defs: dg.Definitions) -> "BuildPlan":
        graph = defs.resolve_asset_graph()
        every = set(graph.get_all_asset_keys())
        yearly = {key for key in every if graph.get(key).partitions_def is not None}
        downstream = dg.AssetSelection.assets(*yearly).downstream().resolve(graph) - yearly
        return cls(first=every - yearly - downstream, yearly=yearly, downstream=downstream)

    def runs(
        self, years: list[int], full: bool = True
    ) -> Iterator[tuple[str, set[dg.AssetKey], dict[str, str]]]:
        """(label, asset keys, run tags) of each run, in order. A full build also runs
        what the yearly assets do not feed and recomputes every year downstream; a build
        of some years only (new or changed trade files) recomputes only theirs."""
        if full:
            yield "everything the yearly assets do not feed", self.first, {}
        if years:
            yield f"yearly assets {min(years)}-{max(years)}", self.yearly, year_range_tags(years)
        yield "everything downstream of the yearly assets", self.downstream, {} if full else years_tag(years)


@dataclass
class BuildResult:
    """The runs of one build, read as one."""

    runs: list[dg.ExecuteInProcessResult] = field(default_factory=list)
    complete: bool = False  # every run was started

    @property
    def success(self) -> bool:
        return self.complete and all(run.success for run in self.runs)

    @property
    def all_events(self) -> list[dg.DagsterEvent]:
        return [event for run in self.runs for event in run.all_events]

    def get_asset_materialization_events(self) -> list[dg.DagsterEvent]:
        return [event for run in self.runs for event in run.get_asset_materialization_events()]

    def get_asset_check_evaluations(self) -> list[dg.AssetCheckEvaluation]:
        return [evaluation for run in self.runs for evaluation in run.get_asset_check_evaluations()]


def materialise_all(
    defs: dg.Definitions, instance: dg.DagsterInstance, raw_dir: Path, years: list[int] | None = None
) -> BuildResult:
    """Run the build's runs in order, for the years in `raw_dir`; stop at the first
    that fails (what it would feed must not be built from a failed input). With
    `years`, only those years' partitions and what they feed: one new year's cost."""
    job = defs.resolve_implicit_global_asset_job_def()
    # With no yearly files, the latest year's (empty) partition still creates the
    # yearly tables that the marts read.
    latest = [int(YEARLY.get_last_partition_key())]
    runs = BuildPlan.of(defs).runs(years or raw_years(raw_dir) or latest, full=not years)
    build = BuildResult()
    for label, keys, tags in runs:
        print(f"--- run: {label} ({len(keys)} assets)", flush=True)
        run = job.execute_in_process(
            instance=instance, asset_selection=list(keys), tags=tags, raise_on_error=False
        )
        build.runs.append(run)
        if not run.success:
            return build
    build.complete = True
    return build
