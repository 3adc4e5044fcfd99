"""The publishers' real downloads (tests/data/real, see its README) land as they are.

Each file is landed from a temporary raw folder into a temporary warehouse with
land_source, as `make run` would: every record lands and nothing is quarantined.
Then the zip archives, as BACI and the World Bank ship them, land without
unpacking by hand, the ledger naming each member.
"""

import csv
import shutil
import zipfile
from pathlib import Path

import pytest

from .builders import land, quarantine, results, rows, snapshot

REAL = Path(__file__).parents[1] / "data" / "real"
BACI_FLOWS = "BACI_HS22_Y2023_V202501.csv"
WDI_GDP = "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.csv"


def copy_real(raw_dir: Path, kind: str, *names: str) -> None:
    (raw_dir / kind).mkdir(parents=True, exist_ok=True)
    for name in names or [p.name for p in (REAL / kind).iterdir()]:
        shutil.copyfile(REAL / kind / name, raw_dir / kind / name)


def csv_records(path: Path, skip: int = 0) -> list[list[str]]:
    """The records of a file as Python's csv module reads them (independently of DuckDB)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for _ in range(skip):
            handle.readline()
        return list(csv.reader(handle))[1:]


def landed(report) -> dict[str, tuple]:
    return {f.path: (f.status, f.rows_read, f.rows_loaded, f.rows_quarantined) for f in report.files}


def test_real_hts_lands_every_record(conn, raw_dir):
    copy_real(raw_dir, "hts")
    report = land(conn, "hts", raw_dir)
    assert landed(report) == {"hts/hts_2025_revision_13_csv.csv": ("landed", 35940, 35940, 0)}
    # A description with a line break inside quotes: the next record's line counts it.
    records = csv_records(REAL / "hts" / "hts_2025_revision_13_csv.csv")
    multi = next(i for i, r in enumerate(records) if "\n" in r[2])
    lines = rows(conn, "hts_tariff_lines", '"Description", _line_number')
    by_line = dict((line, description) for description, line in lines)
    start = 2 + multi + sum(r[2].count("\n") for r in records[:multi])
    assert by_line[start] == records[multi][2].strip()
    assert by_line[start + records[multi][2].count("\n") + 1] == records[multi + 1][2].strip()
    assert max(by_line) == 35974 - 1 + 1 - records[-1][2].count("\n")  # the last record's first line


def test_real_wdi_lands_every_economy_and_value(conn, raw_dir):
    copy_real(raw_dir, "wdi")
    report = land(conn, "wdi", raw_dir)
    assert {f.path: f.status for f in report.files} == {
        f"wdi/{p.name}": "landed" for p in (REAL / "wdi").iterdir()
    }
    assert quarantine(conn) == []
    economies = csv_records(REAL / "wdi" / f"Metadata_Country_{WDI_GDP}")
    assert len(economies) == 265
    assert rows(conn, "wdi_country_metadata", '"Country Code"') == sorted((r[0],) for r in economies)
    notes = dict(rows(conn, "wdi_country_metadata", '"Country Code", "SpecialNotes"'))
    with_breaks = [r for r in economies if "\n" in r[3]]
    assert with_breaks and all(notes[r[0]] == r[3].strip() for r in with_breaks)
    gdp = csv_records(REAL / "wdi" / WDI_GDP, skip=4)
    values = sum(1 for r in gdp for v in r[4:] if v.strip())
    (count,) = conn.execute(
        "select count(*) from raw.wdi_indicator_values where indicator_code = 'NY.GDP.MKTP.CD'"
    ).fetchone()
    assert count == values
    assert conn.execute(
        "select value from raw.wdi_indicator_values where country_code = 'JPN' and year = 2023 "
        "and indicator_code = 'NY.GDP.MKTP.CD'"
    ).fetchone()[0] == pytest.approx(float(next(r for r in gdp if r[1] == "JPN")[67]))
    assert (
        conn.execute(
            "select count(distinct country_code) from raw.wdi_indicator_values "
            "where indicator_code = 'SP.POP.TOTL'"
        ).fetchone()[0]
        > 250
    )


def test_real_baci_lands_every_flow_with_its_empty_quantities(conn, raw_dir):
    copy_real(raw_dir, "baci")
    report = land(conn, "baci", raw_dir)
    assert landed(report) == {
        f"baci/{BACI_FLOWS}": ("landed", 62926, 62926, 0),
        "baci/country_codes_V202501.csv": ("landed", 238, 238, 0),
        "baci/product_codes_HS22_V202501.csv": ("landed", 5609, 5609, 0),
    }
    assert conn.execute("select count(*) filter (where q is null) from raw.baci_flows").fetchone() == (5429,)


def test_real_comtrade_lands_every_row_trimmed(conn, raw_dir):
    copy_real(raw_dir, "comtrade")
    report = land(conn, "comtrade", raw_dir)
    assert [(f.status, f.rows_loaded, f.rows_quarantined) for f in report.files] == [("landed", 173, 0)]
    assert rows(conn, "comtrade_flows", 'distinct "mosCode"') == [("0",)]
    source = (REAL / "comtrade" / "TradeData_156_CHN_M_842_8542_2010-2024.csv").read_text(encoding="utf-8")
    assert '"0 "' in source or ",0 ," in source


def test_real_zip_archives_land_as_downloaded(conn, raw_dir, tmp_path):
    """BACI's release zip (yearly files and code lists) and the World Bank's indicator zip
    (data and metadata) land without unpacking; the ledger names each member; landing the
    same archives again changes nothing."""
    baci_zip = raw_dir / "baci" / "BACI_HS22_V202501.zip"
    wdi_zip = raw_dir / "wdi" / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.zip"
    for archive, kind, names in [
        (baci_zip, "baci", [BACI_FLOWS, "country_codes_V202501.csv", "product_codes_HS22_V202501.csv"]),
        (wdi_zip, "wdi", [WDI_GDP, f"Metadata_Country_{WDI_GDP}", f"Metadata_Indicator_{WDI_GDP}"]),
    ]:
        archive.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for name in names:
                zipped.write(REAL / kind / name, name)
    baci = land(conn, "baci", raw_dir)
    member = f"baci/BACI_HS22_V202501.zip/{BACI_FLOWS}"
    assert landed(baci)[member] == ("landed", 62926, 62926, 0)
    assert landed(baci)["baci/BACI_HS22_V202501.zip"][0] == "unpacked"
    assert rows(conn, "baci_flows", "distinct _source_file") == [(member,)]
    wdi = land(conn, "wdi", raw_dir)
    assert {p: r[0] for p, r in landed(wdi).items()} == {
        "wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.zip": "unpacked",
        **{f"wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.zip/{n}": "landed" for n in [WDI_GDP]},
        **{f"wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.zip/Metadata_{m}_{WDI_GDP}": "landed"
           for m in ("Country", "Indicator")},
    }  # fmt: skip
    assert conn.execute("select count(*) from raw.wdi_country_metadata").fetchone() == (265,)
    ledger = conn.execute(
        "select path from raw._landing_ledger where source = 'baci' order by path"
    ).fetchall()
    assert (member,) in ledger

    before = {kind: snapshot(conn, kind) for kind in ("baci", "wdi")}
    again = {kind: land(conn, kind, raw_dir) for kind in ("baci", "wdi")}
    assert all(f.status == "unchanged" for report in again.values() for f in report.files)
    assert {kind: snapshot(conn, kind) for kind in ("baci", "wdi")} == before


def test_zip_partitions_land_only_their_years(conn, raw_dir):
    """A yearly partition lands the members of its years from an archive of all years."""
    from dagster_project.landing.loader import land_source
    from dagster_project.landing.years import file_years

    from .builders import csv_text, kind_named

    archive = raw_dir / "baci" / "BACI_HS17_V202501.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as zipped:
        for year in (2022, 2023):
            zipped.writestr(
                f"BACI_HS17_Y{year}_V202501.csv",
                csv_text(["t", "i", "j", "k", "v", "q"], [[year, 156, 392, "010121", 1, "NA"]]),
            )
    assert file_years(archive) == {2022, 2023}
    report = land_source(conn, kind_named("baci"), raw_dir, years=[2023])
    assert [(f.path, f.status) for f in report.files] == [
        ("baci/BACI_HS17_V202501.zip/BACI_HS17_Y2023_V202501.csv", "landed")
    ]
    report = land_source(conn, kind_named("baci"), raw_dir)
    assert results(report)["baci/BACI_HS17_V202501.zip/BACI_HS17_Y2023_V202501.csv"].status == "unchanged"
    assert rows(conn, "baci_flows", "t, q") == [(2022, None), (2023, None)]
