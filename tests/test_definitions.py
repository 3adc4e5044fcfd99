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


def test_every_check_says_what_it_asserts(defs):
    """The UI shows a check's description on the asset's Checks tab: none is left blank."""
    specs = [spec for assets in defs.resolve_asset_graph().assets_defs for spec in assets.check_specs]
    assert len(specs) > 300
    blank = [spec.key.to_user_string() for spec in specs if not (spec.description or "").strip()]
    assert not blank
    by_name = {spec.name: spec.description for spec in specs}
    assert by_name["not_null_int_countries_joined_iso3"] == "`iso3` is never null."
    assert by_name["assert_bloc_intra_plus_extra_equals_total"].startswith("Intra-bloc + extra-bloc = total")
