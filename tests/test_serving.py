"""Serving: the published copy for SQL users and BI tools, and its read-only guarantees."""

import shutil
import stat

import duckdb
import pytest
import sqlalchemy as sa

from dagster_project import cli, serving, settings

REPO_RAW = settings.REPO_ROOT / "raw"
pytestmark = pytest.mark.e2e


def _serving_file(warehouse):
    return warehouse.parent / "serving" / serving.SERVING_FILE


def test_build_publishes_a_read_only_copy_and_parquet(sample_warehouse):
    published = _serving_file(sample_warehouse)
    assert published.exists()
    assert not published.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    with (
        duckdb.connect(str(sample_warehouse), read_only=True) as source,
        serving.open_reader(published) as reader,
    ):
        marts = source.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
        assert len(marts) >= 10
        for (table,) in marts:
            (expected,) = source.execute(f"select count(*) from marts.{table}").fetchone()
            assert reader.execute(f"select count(*) from marts.{table}").fetchone() == (expected,)
    parquet = published.parent / "parquet"
    [(rows,)] = duckdb.sql(
        f"select count(*) from read_parquet('{parquet}/fct_trade/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    (expected,) = (
        duckdb.connect(str(published), read_only=True)
        .execute("select count(*) from marts.fct_trade")
        .fetchone()
    )
    assert rows == expected
    assert (parquet / "fct_trade" / "year=2023").is_dir()


@pytest.fixture
def reader_setup(sample_warehouse, tmp_path):
    """A copy of the built warehouse with its own serving folder."""
    warehouse = tmp_path / "warehouse" / "tradebloc.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(sample_warehouse, warehouse)
    serving.publish(warehouse, warehouse.parent / "serving")
    return warehouse


def test_bi_connection_stays_open_through_a_new_build(reader_setup, materialise_all):
    """The route Superset uses: SQLAlchemy + duckdb-engine, read-only, held open while a
    new build runs and publishes; both succeed."""
    published = _serving_file(reader_setup)
    engine = sa.create_engine(f"duckdb:///{published}", connect_args={"read_only": True})
    query = sa.text("select count(*) from marts.fct_trade where period_key = '2023'")
    with engine.connect() as held_open:
        before = held_open.execute(query).scalar_one()
        inode_before = published.stat().st_ino
        result = materialise_all(REPO_RAW, reader_setup)
        assert result.success
        assert published.stat().st_ino != inode_before, "a new copy was published"
        assert held_open.execute(query).scalar_one() == before
    with engine.connect() as fresh:
        assert fresh.execute(query).scalar_one() == before


def test_failing_checks_do_not_publish(reader_setup, materialise_all):
    """A row no landed file accounts for fails the ledger check, which blocks the dbt
    build: the build fails and nothing is published."""
    published = _serving_file(reader_setup)
    inode_before = published.stat().st_ino
    with duckdb.connect(str(reader_setup)) as conn:
        conn.execute(
            "insert into raw.measures_tariff_measures "
            "select * replace ('injected.csv' as _source_file) from raw.measures_tariff_measures limit 1"
        )
    result = materialise_all(REPO_RAW, reader_setup)
    assert not result.success
    failed_checks = {
        (e.asset_key.path[-1], e.check_name) for e in result.get_asset_check_evaluations() if not e.passed
    }
    assert failed_checks == {("measures_tariff_measures", "ledger_reconciles")}
    assert published.stat().st_ino == inode_before


@pytest.fixture
def serving_env(reader_setup, monkeypatch):
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(reader_setup))
    return reader_setup


@pytest.mark.parametrize(
    "sql",
    [
        "create table marts.x (a int)",
        "insert into marts.dim_bloc select * from marts.dim_bloc",
        "delete from marts.fct_trade",
        "copy marts.dim_bloc to '/tmp/tradebloc-leak.csv'",
        "attach '/tmp/other.duckdb' as other",
        "select 1; drop table marts.dim_bloc",
    ],
)
def test_query_cli_refuses_writes(serving_env, sql, capsys):
    assert cli.main(["query", sql]) == 1
    assert "read-only" in capsys.readouterr().err


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from glob('/*')",
    ],
)
def test_query_cli_cannot_reach_the_file_system(serving_env, sql, capsys):
    assert cli.main(["query", sql]) == 1
    assert "disabled by configuration" in capsys.readouterr().err


def test_query_cli_prints_and_writes_csv_and_parquet(serving_env, tmp_path, capsys):
    assert cli.main(["query", "select bloc_code from marts.dim_bloc order by 1"]) == 0
    assert "CJK" in capsys.readouterr().out
    csv_file, parquet_file = tmp_path / "blocs.csv", tmp_path / "blocs.parquet"
    assert cli.main(["query", "select * from marts.dim_bloc", "--output", str(csv_file)]) == 0
    assert csv_file.read_text().startswith("bloc_code,name,kind")
    assert cli.main(["query", "select * from marts.dim_bloc", "--output", str(parquet_file)]) == 0
    assert duckdb.sql(f"select count(*) from '{parquet_file}'").fetchall() == [(6,)]


def test_query_cli_answers_the_readme_examples(serving_env, readme_queries, capsys):
    assert len(readme_queries) >= 3
    for query in readme_queries:
        assert cli.main(["query", query]) == 0, capsys.readouterr().err
    assert "148.98" in capsys.readouterr().out


def _marts(warehouse, years, value):
    """A warehouse whose marts are `facts` (by year, 50 rows a year) and `dim`."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.facts as select year, i, ? as value "
            "from unnest(?) as t(year), range(50) as r(i)",
            [value, years],
        )
        conn.execute("create or replace table marts.dim as select ? as label", [f"v{value}"])


def _published(serving_dir):
    with duckdb.connect(str(serving_dir / serving.SERVING_FILE), read_only=True) as conn:
        facts = conn.execute("select year, min(value), count(*) from marts.facts group by year order by year")
        return facts.fetchall(), conn.execute("select label from marts.dim").fetchall()


def test_a_publish_for_some_years_copies_only_those(tmp_path, monkeypatch):
    monkeypatch.setattr(serving, "PARTITION_ROWS", 10)  # facts: Parquet by year
    warehouse, serving_dir = tmp_path / "w.duckdb", tmp_path / "serving"
    _marts(warehouse, [2021, 2022], 1)
    first = serving.publish(warehouse, serving_dir)
    linked = first.parquet_dir / "facts" / "year=2021"

    # 2022 rebuilt and 2023 added (value 2), dim rebuilt; 2021 left as it was
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from marts.facts where year = 2022")
        conn.execute(
            "insert into marts.facts select year, i, 2 from unnest([2022, 2023]) t(year), range(50) r(i)"
        )
        conn.execute("update marts.dim set label = 'v2'")
    second = serving.publish(warehouse, serving_dir, [2022, 2023], frozenset({"facts"}))

    assert second.years == [2022, 2023]
    assert _published(serving_dir) == ([(2021, 1, 50), (2022, 2, 50), (2023, 2, 50)], [("v2",)])
    parquet = serving_dir / serving.PARQUET_LINK / "facts"
    assert sorted(p.name for p in parquet.iterdir()) == ["year=2021", "year=2022", "year=2023"]
    # the unchanged year's Parquet is the same file, hard-linked, not written again
    [old], [new] = linked.iterdir(), (parquet / "year=2021").iterdir()
    assert old.stat().st_ino == new.stat().st_ino
    rows = duckdb.sql(f"select count(*), sum(value) from read_parquet('{parquet}/*/*.parquet')").fetchall()
    assert rows == [(150, 50 + 100 + 100)]


def test_a_publish_for_some_years_copies_everything_when_counts_differ(tmp_path):
    """A published copy that is not the warehouse's other years (a build whose tests
    failed changed them, say) is not patched but replaced."""
    warehouse, serving_dir = tmp_path / "w.duckdb", tmp_path / "serving"
    _marts(warehouse, [2021, 2022], 1)
    serving.publish(warehouse, serving_dir)
    _marts(warehouse, [2020, 2021, 2022, 2023], 3)  # 2020 appeared outside the run's years

    result = serving.publish(warehouse, serving_dir, [2023], frozenset({"facts"}))

    assert result.years is None
    assert _published(serving_dir)[0] == [(year, 3, 50) for year in (2020, 2021, 2022, 2023)]
