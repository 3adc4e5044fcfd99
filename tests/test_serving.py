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


def test_build_publishes_the_ledger_quarantine_and_check_results(sample_warehouse, defs):
    """The data-quality tables beside the marts: the ledger as landed, the quarantine
    counted by reason, and the latest result of every asset check of the build."""
    published = _serving_file(sample_warehouse)
    with (
        duckdb.connect(str(sample_warehouse), read_only=True) as source,
        serving.open_reader(published) as reader,
    ):
        for table, query in [
            ("landing_ledger", "select count(*) from raw._landing_ledger"),
            ("quarantine_by_reason", "select count(distinct (source_file, reason)) from raw._quarantine"),
        ]:
            assert reader.execute(f"select count(*) from quality.{table}").fetchone() == (
                source.execute(query).fetchone()
            )
        checks = reader.execute(
            "select asset || ':' || check_name, status, passed, blocking from quality.check_results"
        ).fetchall()
    expected = {
        f"{key.asset_key.to_user_string()}:{key.name}" for key in defs.resolve_asset_graph().asset_check_keys
    }
    assert {name for name, *_ in checks} == expected
    # the copy is published only after every blocking check passed
    assert all(passed for _, _, passed, blocking in checks if blocking)
    parquet = published.parent / "parquet" / "check_results" / "data.parquet"
    assert duckdb.sql(f"select count(*) from '{parquet}'").fetchall() == [(len(expected),)]


@pytest.fixture
def reader_setup(sample_warehouse, tmp_path):
    """A copy of the built warehouse with its own serving folder."""
    warehouse = tmp_path / "warehouse" / "tradebloc.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(sample_warehouse, warehouse)
    serving.publish(warehouse, warehouse.parent / "serving")
    return warehouse


def test_bi_connection_stays_open_through_a_new_publish(reader_setup, build):
    """The route Superset uses: SQLAlchemy + duckdb-engine, read-only, held open while
    the serving asset publishes again; both succeed."""
    published = _serving_file(reader_setup)
    engine = sa.create_engine(f"duckdb:///{published}", connect_args={"read_only": True})
    query = sa.text("select count(*) from marts.fct_trade where period_key = '2023'")
    with engine.connect() as held_open:
        before = held_open.execute(query).scalar_one()
        inode_before = published.stat().st_ino
        result = build(REPO_RAW, reader_setup, select="key:serving/*")
        assert result.success
        assert published.stat().st_ino != inode_before, "a new copy was published"
        assert held_open.execute(query).scalar_one() == before
    with engine.connect() as fresh:
        assert fresh.execute(query).scalar_one() == before


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


def test_tariff_cli_prints_each_part_and_the_readme_query_agrees(serving_env, readme_queries, capsys):
    assert cli.main(["tariff", "--from", "chn", "--hs", "8703.80", "--on", "2025-06-15"]) == 0
    out = capsys.readouterr().out
    # EVs from China on 2025-06-15: MFN 2.5 + autos 25 + Section 301 100 + fentanyl 20, no
    # reciprocal duty on a Section 232 good
    [line] = [row for row in out.splitlines() if row.startswith("87038000")]
    cells = [cell.strip() for cell in line.split("|")]
    assert cells[1:10] == ["2.5", "MFN", "25.0", "100.0", "20.0", "0.0", "0.0", "0.0", "147.5"]
    assert cells[10] == "reciprocal-not-on-232"
    [readme] = [sql for sql in readme_queries if "fct_us_tariff_schedule" in sql and "870380" in sql]
    with serving.open_reader(settings.load().serving_dir / serving.SERVING_FILE) as conn:
        documented = conn.execute(readme).fetchall()
        parameters = {"exporter": "CHN", "code": "870380", "day": "2025-06-15"}
        answered = conn.execute(cli.TARIFF_SQL, parameters).fetchall()
    assert documented == answered


def test_tariff_cli_refuses_a_day_that_is_not_a_date(serving_env, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["tariff", "--from", "CHN", "--hs", "870380", "--on", "15/06/2025"])
    assert stop.value.code == 2
    assert "expected a day as YYYY-MM-DD" in capsys.readouterr().err
