"""The dbt project as Dagster assets: every model, seed and test, run by `dbt build`."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from .. import settings
from ..resources import DBT_PROJECT


class TradeblocTranslator(DagsterDbtTranslator):
    """Asset keys mirror the warehouse: [schema, name], so the dbt sources
    (raw.<table>) are the landing assets' keys and lineage is unbroken."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=TradeblocTranslator(),
    pool="duckdb",
)
def tradebloc_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    settings.export_for_dbt()
    yield from dbt.cli(["build"], context=context).stream()
