"""The one place that reads tradebloc's environment and resolves its paths.

Paths are resolved to absolute ones here, once, so that Python and dbt (which
would otherwise resolve a relative DuckDB path from the dbt project directory)
always agree on which warehouse they write.
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

RAW_DIR_VAR = "TRADEBLOC_RAW_DIR"
WAREHOUSE_VAR = "TRADEBLOC_WAREHOUSE"


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path

    @property
    def serving_dir(self) -> Path:
        """Where the published read-only copy and Parquet datasets live, beside the warehouse."""
        return self.warehouse.parent / "serving"

    def dbt_env(self) -> dict[str, str]:
        """The variables dbt's profiles.yml reads, as absolute paths."""
        return {RAW_DIR_VAR: str(self.raw_dir), WAREHOUSE_VAR: str(self.warehouse)}


def load() -> Settings:
    """Read the environment now (not at import), so tests can point it elsewhere."""
    raw_dir = Path(os.environ.get(RAW_DIR_VAR) or REPO_ROOT / "raw")
    warehouse = Path(os.environ.get(WAREHOUSE_VAR) or REPO_ROOT / "warehouse" / "tradebloc.duckdb")
    return Settings(raw_dir=raw_dir.expanduser().resolve(), warehouse=warehouse.expanduser().resolve())


def export_for_dbt() -> Settings:
    """Resolve the settings and put the absolute paths where dbt subprocesses see them."""
    settings = load()
    os.environ.update(settings.dbt_env())
    return settings
