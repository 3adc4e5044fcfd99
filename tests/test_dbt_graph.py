"""The dbt graph runs one way, and the yearly set (tag yearly) can be built after the rest.

Read from the manifest of `dbt parse` (the dbt_manifest fixture): no Dagster, no warehouse.
- staging reads sources only, intermediate never reads a mart, dimensions never read facts
  (docs: DESIGN.md, "Data flow");
- nothing outside tag yearly reads a yearly model, directly or not, so one run builds the
  unpartitioned set, then the yearly set;
- every data test that reads a yearly model is attached to a yearly model (dagster-dbt
  attaches a generic test to the model it is defined on, a singular test to its
  `meta.dagster.ref`), and reads nothing a yearly run would not have built (the yearly
  models and their ancestors: dbt's `buildable` indirect selection runs it then).
"""

import json
from functools import cache

import pytest

YEARLY = "yearly"


@pytest.fixture(scope="module")
def nodes(dbt_manifest) -> dict[str, dict]:
    manifest = json.loads(dbt_manifest.read_text())
    return {**manifest["nodes"], **manifest["sources"]}


def _models(nodes) -> dict[str, dict]:
    return {uid: n for uid, n in nodes.items() if n["resource_type"] == "model"}


def _parents(node) -> list[str]:
    return node.get("depends_on", {}).get("nodes", [])


def _layer(node) -> str:
    if node["resource_type"] != "model":
        return node["resource_type"]  # seed, source, ...
    name = node["name"]
    for prefix, layer in (
        ("stg_", "staging"),
        ("int_", "intermediate"),
        ("dim_", "dimension"),
        ("bridge_", "dimension"),
        ("fct_", "fact"),
        ("mart_", "metric"),
    ):
        if name.startswith(prefix):
            return layer
    raise AssertionError(f"model {name} has no layer prefix")


def _is_yearly(node) -> bool:
    return YEARLY in node.get("tags", []) or YEARLY in node.get("config", {}).get("tags", [])


def _ancestors(nodes) -> callable:
    @cache
    def ancestors(uid: str) -> frozenset[str]:
        found = set()
        for parent in _parents(nodes[uid]):
            found |= {parent, *ancestors(parent)}
        return frozenset(found)

    return ancestors


def test_staging_reads_sources_only(nodes):
    offenders = [
        (n["name"], nodes[p]["name"])
        for n in _models(nodes).values()
        if _layer(n) == "staging"
        for p in _parents(n)
        if nodes[p]["resource_type"] != "source"
    ]
    assert not offenders


def test_no_staging_or_intermediate_model_reads_a_mart(nodes):
    allowed = {"source", "seed", "staging", "intermediate"}
    offenders = [
        (n["name"], nodes[p]["name"])
        for n in _models(nodes).values()
        if _layer(n) in ("staging", "intermediate")
        for p in _parents(n)
        if _layer(nodes[p]) not in allowed
    ]
    assert not offenders


def test_marts_read_intermediate_seeds_and_marts_only(nodes):
    offenders = [
        (n["name"], nodes[p]["name"])
        for n in _models(nodes).values()
        if _layer(n) in ("dimension", "fact", "metric")
        for p in _parents(n)
        if _layer(nodes[p]) in ("source", "staging")
    ]
    assert not offenders


def test_no_dimension_reads_a_fact_or_metric_mart(nodes):
    offenders = [
        (n["name"], nodes[p]["name"])
        for n in _models(nodes).values()
        if _layer(n) == "dimension"
        for p in _parents(n)
        if _layer(nodes[p]) in ("fact", "metric")
    ]
    assert not offenders


def test_facts_read_no_metric_mart(nodes):
    offenders = [
        (n["name"], nodes[p]["name"])
        for n in _models(nodes).values()
        if _layer(n) == "fact"
        for p in _parents(n)
        if _layer(nodes[p]) == "metric"
    ]
    assert not offenders


def test_nothing_outside_the_yearly_set_reads_it(nodes):
    ancestors = _ancestors(nodes)
    offenders = [
        (n["name"], nodes[a]["name"])
        for uid, n in _models(nodes).items()
        if not _is_yearly(n)
        for a in ancestors(uid)
        if _is_yearly(nodes[a])
    ]
    assert not offenders


def test_the_yearly_set_is_what_the_docs_say(nodes):
    yearly = {n["name"] for n in _models(nodes).values() if _is_yearly(n)}
    assert {
        "stg_comtrade__flows",
        "stg_comtrade__world_totals",
        "stg_baci__flows",
        "int_trade_flows_reported",
        "int_trade_flows_reconciled",
        "fct_trade",
        "fct_trade_reported",
        "mart_mirror_gaps",
        "mart_bloc_trade_annual",
        "fct_tariff",
    } <= yearly
    assert not yearly & {
        "dim_country",
        "dim_product",
        "int_countries_joined",
        "int_products_listed",
        "fct_macro",
    }
    # a yearly table is incremental by year (the config comes with the tag), but the US
    # schedule: its rows are date intervals over every year, rebuilt whole in each run
    for n in _models(nodes).values():
        if _is_yearly(n) and n["config"]["materialized"] != "view" and n["name"] != "fct_us_tariff_schedule":
            assert n["config"]["materialized"] == "incremental", n["name"]
            assert n["config"]["unique_key"] == "year", n["name"]


def _attached_model(test, nodes) -> str:
    """The model dagster-dbt attaches a test to as an asset check: a generic test's model,
    a singular test's `meta.dagster.ref`, or the one model a singular test reads."""
    if test.get("attached_node"):  # a generic test: the model it is defined on
        return test["attached_node"]
    ref = test["config"].get("meta", {}).get("dagster", {}).get("ref", {}).get("name")
    models = [p for p in _parents(test) if nodes[p]["resource_type"] == "model"]
    if not ref and len(models) == 1:  # a singular test of one model: that model
        return models[0]
    assert ref, f"singular test {test['name']} reads several models but names none (meta.dagster.ref)"
    [uid] = [uid for uid, n in _models(nodes).items() if n["name"] == ref]
    return uid


def test_tests_of_yearly_models_are_attached_to_yearly_models_and_run_with_them(nodes):
    ancestors = _ancestors(nodes)
    yearly = {uid for uid, n in _models(nodes).items() if _is_yearly(n)}
    built_by_a_yearly_run = yearly | {a for uid in yearly for a in ancestors(uid)}
    tests = [n for n in nodes.values() if n["resource_type"] == "test" and "unit_test" not in n["unique_id"]]
    checked = 0
    for test in tests:
        models = [p for p in _parents(test) if nodes[p]["resource_type"] == "model"]
        if not set(models) & yearly:
            continue
        checked += 1
        attached = _attached_model(test, nodes)
        assert attached in yearly, f"{test['name']} reads a yearly model but is attached to {attached}"
        outside = [nodes[p]["name"] for p in _parents(test) if p not in built_by_a_yearly_run]
        assert not outside, f"{test['name']} reads {outside}, which a yearly run does not build"
    assert checked > 0


def test_the_yearly_tag_is_set_in_dbt_project_yml_only(nodes):
    """One place (dbt_project.yml, the anchor that also makes the tables incremental by
    year): no model sets tags itself."""
    for n in _models(nodes).values():
        assert "tags=" not in n["raw_code"].replace(" ", ""), n["name"]


def test_a_yearly_models_checks_read_only_its_ancestors_among_what_yearly_files_feed(nodes):
    """The UI's backfill builds the sets in several runs, in the asset graph's order: BACI's
    code lists land with the yearly files, and the unpartitioned models they feed
    (dim_product) are built in a run of their own. A check planned with a yearly model
    must find every model it reads built, so what it reads among those must come before
    the model in the graph (a `-- depends_on:` ref where the model does not read it)."""
    ancestors = _ancestors(nodes)
    yearly_sources = {
        uid
        for uid, n in nodes.items()
        if n["resource_type"] == "source" and n["name"].startswith(("baci_", "comtrade_"))
    }
    fed_by_yearly_files = {
        uid for uid, n in _models(nodes).items() if not _is_yearly(n) and ancestors(uid) & yearly_sources
    }
    assert fed_by_yearly_files  # dim_product, through BACI's product codes
    for test in (
        n for n in nodes.values() if n["resource_type"] == "test" and "unit_test" not in n["unique_id"]
    ):
        attached = _attached_model(test, nodes)
        if attached is None or not _is_yearly(nodes[attached]):
            continue
        late = [
            nodes[p]["name"]
            for p in _parents(test)
            if p in fed_by_yearly_files and p not in ancestors(attached)
        ]
        assert not late, f"{test['name']} on {nodes[attached]['name']} reads {late}, not among its ancestors"
