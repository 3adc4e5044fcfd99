"""Fixtures for the landing tests: a DuckDB file and a raw folder, both in tmp_path.

The file builders (exact real formats) and the reconciliation check live in
builders.py so that the property-based tests, which make their own temporary
folders per example, can use them too.
"""

import duckdb
import pytest

from .builders import new_warehouse


@pytest.fixture(scope="session")
def template_warehouse(tmp_path_factory):
    """An empty warehouse with the landing schema and the country reference, made once.

    Building the reference takes a third of a second; each test copies this file
    instead (the landing code creates what is missing with `if not exists`)."""
    from dagster_project.landing import SOURCE_KINDS
    from dagster_project.landing.loader import ensure_schema

    path = tmp_path_factory.mktemp("template") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        for kind in SOURCE_KINDS:
            ensure_schema(connection, kind)
    return path


@pytest.fixture
def raw_dir(tmp_path):
    path = tmp_path / "raw"
    path.mkdir()
    return path


@pytest.fixture
def conn(tmp_path, template_warehouse):
    connection = new_warehouse(tmp_path, template_warehouse)
    yield connection
    connection.close()
