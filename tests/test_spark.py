"""make spark's own pieces, without Spark: the Parquet export of the landed tables and
the comparison of a Spark mart (its Parquet files) with DuckDB's."""

from pathlib import Path

import duckdb
import pytest

from dagster_project import serving, settings, spark
from dagster_project import warehouse as warehouse_module


@pytest.fixture
def warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    conn.execute("create schema raw; create schema marts")
    conn.execute(
        "create table raw.comtrade_flows as select range as id, 'file.csv' as _source_file from range(5)"
    )
    conn.execute("create table raw._landing_ledger as select 'file.csv' as path, 5 as rows_landed")
    conn.execute(
        "create table raw._quarantine "
        "(raw_table varchar, source_file varchar, line_number bigint, reason varchar)"
    )
    conn.execute(
        "create table marts.m as select * from (values "
        "(2023, 'CHN', 1, 1.5::double, date '2023-01-01', true), "
        "(2023, 'JPN', 2, 2.0, date '2023-01-02', false), "
        "(2024, 'CHN', 3, null, date '2024-01-01', true), "
        "(2024, 'CHN', 3, 7.25, date '2024-01-01', true)"
        ") t(year, iso3, n, value, day, flag)"
    )
    yield conn
    conn.close()


def spark_mart(conn, folder: Path, query: str, partition_by: str | None = "year") -> Path:
    """Write `query`'s rows as Spark lays out a table: Parquet files, in year=… folders."""
    if partition_by:
        conn.execute(f"copy ({query}) to '{folder}' (format parquet, partition_by ({partition_by}))")
    else:
        folder.mkdir()
        conn.execute(f"copy ({query}) to '{folder}/part-0.parquet' (format parquet)")
    return folder


def compared(conn, tmp_path, query, partition_by="year") -> spark.MartComparison:
    return spark.compare_mart(conn, "m", spark_mart(conn, tmp_path / "spark_m", query, partition_by))


def test_every_landed_table_is_exported_with_its_rows(warehouse, tmp_path):
    tables = spark.export_landed(warehouse, tmp_path / "landed")
    assert tables == ["_landing_ledger", "_quarantine", "comtrade_flows"]
    for table in tables:
        landed = tmp_path / "landed" / table / "*.parquet"
        exported = warehouse.sql(f"select * from '{landed}' order by all").fetchall()
        assert exported == warehouse.sql(f"select * from raw.{table} order by all").fetchall()
    # a second export replaces the first
    warehouse.execute("delete from raw.comtrade_flows where id > 1")
    spark.export_landed(warehouse, tmp_path / "landed")
    landed = tmp_path / "landed" / "comtrade_flows" / "*.parquet"
    assert warehouse.execute(f"select count(*) from '{landed}'").fetchone() == (2,)


@pytest.mark.parametrize("partition_by", ["year", None])
def test_a_mart_with_the_same_rows_is_equal(warehouse, tmp_path, partition_by):
    # rows in another order, floats off by float rounding only, the partition column last
    query = "select iso3, n, value * (1 + 1e-13) as value, day, flag, year from marts.m order by random()"
    result = compared(warehouse, tmp_path, query, partition_by)
    assert result.equal, result
    assert (result.duckdb_rows, result.spark_rows) == (4, 4)


@pytest.mark.parametrize(
    ("change", "unmatched", "numbers_off"),
    [
        ("select * from marts.m where n <> 2", 1, 0),  # a row missing
        ("select * from marts.m union all select * from marts.m where n = 1", 1, 0),  # a row twice
        ("select * replace (case when n = 2 then 'KOR' else iso3 end as iso3) from marts.m", 2, 0),  # a key
        ("select * replace (case when n = 1 then day + 1 else day end as day) from marts.m", 2, 0),  # a date
        (
            "select * replace (case when n = 1 then value * 1.000001 else value end as value) from marts.m",
            0,
            1,
        ),
        ("select * replace (case when n = 2 then null else value end as value) from marts.m", 0, 1),  # a null
    ],
)
def test_a_difference_is_found(warehouse, tmp_path, change, unmatched, numbers_off):
    result = compared(warehouse, tmp_path, change)
    assert not result.equal
    assert (result.unmatched_rows, result.numeric_differences) == (unmatched, numbers_off)


def test_a_column_of_another_type_or_missing_is_a_difference(warehouse, tmp_path):
    result = compared(warehouse, tmp_path, "select * exclude (flag) replace (n::bigint as n) from marts.m")
    assert not result.equal
    assert (
        result.column_differences
        == "flag: BOOLEAN in DuckDB, missing in Spark; n: INTEGER in DuckDB, BIGINT in Spark"
    )


def test_the_report_names_each_mart_and_its_verdict(warehouse, tmp_path):
    (tmp_path / "tables" / "marts.db").mkdir(parents=True)
    spark_mart(warehouse, tmp_path / "tables" / "marts.db" / "m", "select * from marts.m where n <> 2")
    warehouse.execute("create table marts.other as select 1 as a")
    # an empty mart: Spark writes no file into its folder
    warehouse.execute("create table marts.empty (year integer)")
    (tmp_path / "tables" / "marts.db" / "empty").mkdir()
    warehouse.close()
    results = spark.compare_all(tmp_path / "warehouse.duckdb", tmp_path)
    assert [(r.mart, r.equal, r.column_differences) for r in results] == [
        ("empty", True, ""),
        ("m", False, ""),
        ("other", False, "no Spark table"),
    ]
    report = spark.render(results)
    assert "1 of 3 marts equal on Spark and DuckDB; different: m, other" in report
    assert report.splitlines()[3].split()[:4] == ["m", "4", "3", "1"]


@pytest.fixture
def spark_engine(warehouse, tmp_path, monkeypatch) -> Path:
    """The Spark engine's folders, as a build leaves them: the landing warehouse (raw.*)
    and Spark's tables as Parquet (here: marts.m, partitioned by year)."""
    spark_dir = tmp_path / "spark"
    (spark_dir / "tables" / "marts.db").mkdir(parents=True)
    spark_mart(warehouse, spark_dir / "tables" / "marts.db" / "m", "select * from marts.m")
    warehouse.execute("drop table marts.m")  # on Spark, the marts are Spark's only
    warehouse.close()
    monkeypatch.setenv(settings.ENGINE_VAR, "spark")
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv(settings.SPARK_DIR_VAR, str(spark_dir))
    return spark_dir


def test_on_spark_readers_see_spark_marts_and_the_landed_tables(spark_engine):
    with warehouse_module.read_models() as conn:
        assert conn.execute("select count(*), count(distinct year) from marts.m").fetchone() == (4, 2)
        assert conn.execute("select count(*) from raw.comtrade_flows").fetchone() == (5,)
        assert conn.execute("select sum(year) from marts.m").fetchone() == (2023 * 2 + 2024 * 2,)


def test_on_spark_the_serving_copy_publishes_spark_marts(spark_engine, tmp_path):
    config = settings.load()
    published = serving.publish(config.warehouse, tmp_path / "serving", spark_dir=spark_engine)
    assert published.tables == {"m": 4}
    with serving.open_reader(published.database) as conn:
        assert conn.execute("select count(*) from marts.m where iso3 = 'CHN'").fetchone() == (3,)
        assert conn.execute("select count(*) from quality.landing_ledger").fetchone() == (1,)


def test_an_unknown_engine_is_refused_by_name(monkeypatch):
    monkeypatch.setenv(settings.ENGINE_VAR, "postgres")
    with pytest.raises(ValueError, match="TRADEBLOC_ENGINE='postgres': expected one of duckdb, spark"):
        settings.load()
