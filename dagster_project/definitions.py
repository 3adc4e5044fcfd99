"""Everything Dagster loads: landing assets, the dbt project, serving, one serialised lane.

The dbt assets are built from the dbt manifest when Dagster loads the definitions,
not at import: `make run`, `make ui` and the tests prepare the manifest first
(`python -m dagster_project prepare`).
"""

import dagster as dg

from .assets.checks import LEDGER_CHECKS
from .assets.dbt import dbt_asset_definitions
from .assets.landing import LANDING_ASSETS
from .assets.serving import published_marts_asset
from .automation import automation, raw_folder_sensor
from .progress import LOGGERS
from .resources import dbt_resource


@dg.definitions
def defs() -> dg.Definitions:
    dbt_assets = dbt_asset_definitions()
    marts = [key for assets in dbt_assets for key in assets.keys if key.path[0] == "marts"]
    return dg.Definitions(
        assets=[*LANDING_ASSETS, *dbt_assets, published_marts_asset(marts)],
        asset_checks=LEDGER_CHECKS,
        sensors=[raw_folder_sensor, automation],
        resources={"dbt": dbt_resource()},
        loggers=LOGGERS,
        # One writer at a time: DuckDB allows a single read-write process.
        executor=dg.in_process_executor,
    )
