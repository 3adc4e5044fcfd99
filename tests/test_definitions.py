import dagster as dg

from dagster_project.landing import SOURCE_KINDS


def test_definitions_load(defs):
    dg.Definitions.validate_loadable(defs)


def test_every_raw_table_is_an_asset_and_a_dbt_source(defs):
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    raw_tables = {f"raw/{t.name}" for kind in SOURCE_KINDS for t in kind.tables}
    assert raw_tables <= keys
    # Lineage is unbroken: each staging model depends on a landing asset's key.
    staging = [k for k in graph.get_all_asset_keys() if k.path[0] == "staging"]
    assert staging
    for key in staging:
        parents = {p.to_user_string() for p in graph.get(key).parent_keys}
        assert parents & (raw_tables | {"raw/reference_country_codes"}), key


def test_writers_share_the_duckdb_pool(defs):
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_materializable:
            assert node.pools == {"duckdb"}, key
