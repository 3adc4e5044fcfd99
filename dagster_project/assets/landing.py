"""Landing assets: one per source kind, each filling its raw tables from raw/<kind>/."""

from collections import Counter

import dagster as dg

from .. import settings, spark, warehouse
from ..landing import SOURCE_KINDS, reference
from ..landing.formats import RawTable, SourceKind
from ..landing.loader import LEDGER, QUARANTINE, land_source
from ..progress import summarise, tally
from . import OWNER
from .partitions import ONE_RUN_PER_RANGE, YEARLY, YEARLY_KINDS, partition_years

GROUP = "landing"
# A file that could not be landed fails this check of its source's first table, not
# the asset: the other files, and the other sources, still build into the marts.
FILES_CHECK = "every_file_landed"
KINDS = {"duckdb", "python"}
REFERENCE_KEY = dg.AssetKey(["raw", "reference_country_codes"])


class LandingConfig(dg.Config):
    prune_missing: bool = False
    """Remove the rows of files that are no longer in the raw folder (kept by default)."""


@dg.asset(
    key=REFERENCE_KEY,
    group_name=GROUP,
    kinds=KINDS,
    owners=[OWNER],
    pool="duckdb",
    description=(
        "Country codes of every code system the sources use (ISO 3166 from pycountry, "
        "plus the trade sources' own numeric codes such as 842 for the USA)."
    ),
)
def reference_country_codes() -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        rows = reference.refresh(conn)
        export_for_spark(conn, [REFERENCE_KEY.path[-1]], with_ledger=False)
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


def _column_schema(table: RawTable) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[dg.TableColumn(c.name, c.type, description=c.description or None) for c in table.columns]
    )


def table_key(table: RawTable) -> dg.AssetKey:
    return dg.AssetKey(["raw", table.name])


def landing_asset(kind: SourceKind) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            table_key(table),
            description=table.description,
            group_name=GROUP,
            kinds=KINDS,
            owners=[OWNER],
            deps=[REFERENCE_KEY],
            metadata={"dagster/column_schema": _column_schema(table)},
        )
        for table in kind.tables
    ]

    yearly = kind.name in YEARLY_KINDS
    files_check = dg.AssetCheckSpec(
        FILES_CHECK,
        asset=specs[0].key,
        description=f"Every file under raw/{kind.name}/ was landed; a failure names each file that "
        "was not, and why. The files that could be read are landed and built on all the same.",
    )

    @dg.multi_asset(
        name=f"land_{kind.name}",
        specs=specs,
        check_specs=[files_check],
        pool="duckdb",
        description=f"Land every file under raw/{kind.name}/ ({kind.description})."
        + (" Partitioned by year: a partition lands the files of its years." if yearly else ""),
        partitions_def=YEARLY if yearly else None,
        backfill_policy=ONE_RUN_PER_RANGE if yearly else None,
    )
    def _land(context: dg.AssetExecutionContext, config: LandingConfig):
        raw_dir = settings.load().raw_dir
        years = partition_years(context) if yearly else None
        with warehouse.connect() as conn:
            report = land_source(conn, kind, raw_dir, prune_missing=config.prune_missing, years=years)
            export_for_spark(conn, [table.name for table in kind.tables])
            for table in kind.tables:
                files = [f for f in report.files if f.raw_table in (table.name, None)]
                (row_count,) = conn.execute(f"select count(*) from raw.{table.name}").fetchone()
                yield dg.MaterializeResult(
                    asset_key=table_key(table),
                    metadata={
                        "dagster/row_count": row_count,
                        "files_landed": len([f for f in files if f.status == "landed"]),
                        "files_unchanged": len(report.with_status("unchanged")),
                        "files_failed": len(report.failures),
                        "rows_loaded": sum(f.rows_loaded for f in files),
                        "rows_quarantined": sum(f.rows_quarantined for f in files),
                        "files": dg.MetadataValue.md(_files_table(report.files)),
                        "preview": dg.MetadataValue.md(
                            warehouse.markdown_preview(conn, f"select * from raw.{table.name}")
                        ),
                    },
                )
        # One line, not one per file: each is an event the instance stores (the table is in the metadata).
        summarise(context.log, f"raw/{kind.name}/: {tally(Counter(f.status for f in report.files))}")
        failures = [f.message for f in report.failures]
        yield dg.AssetCheckResult(
            asset_key=files_check.asset_key,
            check_name=FILES_CHECK,
            passed=not failures,
            severity=dg.AssetCheckSeverity.ERROR,
            description="\n".join(failures) or None,
            metadata={"files_failed": len(failures), "failures": dg.MetadataValue.md("\n\n".join(failures))},
        )

    return _land


def export_for_spark(conn, tables: list[str], with_ledger: bool = True) -> None:
    """On the Spark engine, the landed tables (and the ledger and quarantine, which a
    landing of files writes) go on to Parquet for Spark to read; DuckDB stays the one landing."""
    config = settings.load()
    if config.engine == "spark":
        ledgers = [name.removeprefix("raw.") for name in (LEDGER, QUARANTINE)] if with_ledger else []
        spark.export_landed(conn, config.spark_folder / "landed", [*tables, *ledgers])


def _files_table(files) -> str:
    return warehouse.markdown_table(
        ["file", "status", "read", "loaded", "quarantined", "message"],
        [(f.path, f.status, f.rows_read, f.rows_loaded, f.rows_quarantined, f.message) for f in files],
    )


LANDING_ASSETS = [reference_country_codes, *(landing_asset(kind) for kind in SOURCE_KINDS)]
