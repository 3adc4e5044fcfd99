"""The country-code reference: ISO 3166 from pycountry plus the documented trade-source exceptions."""

import duckdb
import pytest

from dagster_project.landing import reference


@pytest.fixture(scope="module")
def codes(tmp_path_factory):
    """raw.reference_country_codes as reference.refresh builds it, as {(system, code): (iso3, ...)}."""
    with duckdb.connect(str(tmp_path_factory.mktemp("reference") / "w.duckdb")) as conn:
        count = reference.refresh(conn)
        table = conn.execute(f"select * from {reference.TABLE}").fetchall()
    assert count == len(table)
    return {
        (system, code): (iso3, iso2, name, aggregate)
        for system, code, iso3, iso2, name, aggregate, _ in table
    }


@pytest.mark.parametrize(
    ("code", "iso3"),
    [(842, "USA"), (490, "TWN"), (251, "FRA"), (699, "IND"), (757, "CHE"), (579, "NOR")],
)
def test_comtrade_exceptions(codes, code, iso3):
    assert codes["comtrade", code][0] == iso3


@pytest.mark.parametrize(("code", "iso3"), [(156, "CHN"), (392, "JPN"), (410, "KOR"), (36, "AUS")])
def test_comtrade_codes_equal_to_iso(codes, code, iso3):
    assert codes["comtrade", code][0] == iso3


@pytest.mark.parametrize("iso_code", [840, 158, 250, 356, 756, 578])
def test_comtrade_system_no_longer_lists_the_iso_code_of_an_exception(codes, iso_code):
    assert ("comtrade", iso_code) not in codes
    assert ("iso_numeric", iso_code) in codes


def test_iso_numeric_840_is_usa(codes):
    assert codes["iso_numeric", 840][0] == "USA"
    assert ("iso_numeric", 842) not in codes


def test_each_country_has_one_comtrade_code(codes):
    comtrade = [iso3 for (system, _), (iso3, *_) in codes.items() if system == "comtrade"]
    assert len(comtrade) == len(set(comtrade))


def test_aggregates_are_flagged(codes):
    assert codes["comtrade", 0][0] == "WLD"
    assert codes["comtrade", 0][3] is True
    assert codes["iso_numeric", 0][3] is True
    assert codes["comtrade", 842][3] is False


def test_refresh_replaces_the_table(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        first = reference.refresh(conn)
        assert reference.refresh(conn) == first
        assert conn.execute(f"select count(*) from {reference.TABLE}").fetchone()[0] == first
