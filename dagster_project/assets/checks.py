"""Checks that dbt's SQL tests cannot express, because they read the landing ledger
(not a dbt source): every raw table holds exactly the rows the ledger says it does.
One check op per source kind, run with that kind's landing (yearly or not)."""

import dagster as dg

from .. import warehouse
from ..landing import SOURCE_KINDS
from ..landing.formats import SourceKind
from ..landing.loader import ledger_discrepancies
from .landing import table_key

LEDGER_CHECK = "ledger_reconciles"


def ledger_check(kind: SourceKind) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name=f"ledger_reconciles_{kind.name}",
        specs=[
            dg.AssetCheckSpec(
                LEDGER_CHECK,
                asset=table_key(table),
                blocking=True,
                description=(
                    "Per file, the rows in this table and in raw._quarantine equal what the ledger "
                    "recorded (rows read = loaded + quarantined), and no rows belong to no landed file."
                ),
            )
            for table in kind.tables
        ],
        pool="duckdb",
        can_subset=True,  # a selection may name one table's check (e.g. raw/baci_flows)
    )
    def _check(context: dg.AssetCheckExecutionContext):
        selected = context.selected_asset_check_keys
        with warehouse.connect(read_only=True) as conn:
            for table in kind.tables:
                if dg.AssetCheckKey(table_key(table), LEDGER_CHECK) not in selected:
                    continue
                offenders = ledger_discrepancies(conn, kind, table)
                yield dg.AssetCheckResult(
                    asset_key=table_key(table),
                    check_name=LEDGER_CHECK,
                    passed=not offenders,
                    metadata={
                        "files_out_of_balance": len(offenders),
                        "offenders": dg.MetadataValue.md(
                            warehouse.markdown_table(OFFENDER_COLUMNS, offenders[:20])
                        ),
                    },
                )

    return _check


OFFENDER_COLUMNS = [
    "file",
    "ledger read",
    "ledger loaded",
    "ledger quarantined",
    "lines in table",
    "in quarantine",
]


LEDGER_CHECKS = [ledger_check(kind) for kind in SOURCE_KINDS]
