"""Everything Dagster loads: landing assets, the dbt project, one serialised lane.

The dbt manifest must exist before this module is imported: `make run`, `make ui`
and the tests prepare it (`python -m dagster_project prepare`).
"""

import dagster as dg

from .assets.checks import LEDGER_CHECKS
from .assets.dbt import trade_facts_yearly, tradebloc_dbt
from .assets.landing import LANDING_ASSETS
from .assets.serving import published_marts
from .automation import nightly_refresh, raw_folder_sensor
from .resources import dbt_resource

defs = dg.Definitions(
    assets=[*LANDING_ASSETS, tradebloc_dbt, trade_facts_yearly, published_marts],
    asset_checks=LEDGER_CHECKS,
    sensors=[raw_folder_sensor],
    schedules=[nightly_refresh],
    resources={"dbt": dbt_resource()},
    # One writer at a time: DuckDB allows a single read-write process.
    executor=dg.in_process_executor,
)
