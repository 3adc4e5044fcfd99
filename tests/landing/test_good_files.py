"""Good files in each real format land with the right row counts, types and values."""

import pytest

from .builders import (
    BACI_HEADER,
    comtrade_row,
    hts_row,
    land,
    quarantine,
    results,
    rows,
    wits_row,
    write_baci,
    write_baci_countries,
    write_baci_products,
    write_comtrade_bulk,
    write_comtrade_csv,
    write_hts,
    write_text,
    write_wdi_indicator,
    write_wdi_metadata,
    write_wits_mfn,
    write_wits_preferential,
)


def column_types(conn, table: str) -> dict[str, str]:
    return dict(
        conn.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
    )


def only_landed(report, count: int) -> None:
    assert [f.status for f in report.files] == ["landed"] * count, report.files
    assert all(f.rows_quarantined == 0 for f in report.files), report.files


# --- UN Comtrade ----------------------------------------------------------------


@pytest.mark.parametrize(("bom", "newline"), [(False, "\n"), (True, "\n"), (True, "\r\n"), (False, "\r\n")])
def test_comtrade_api_csv(conn, raw_dir, bom, newline):
    records = [
        comtrade_row(),
        comtrade_row(
            flowCode="M",
            flowDesc="Import",
            partnerCode=842,
            partnerISO="USA",
            partnerDesc="USA",
            cmdCode="870323",
            cmdDesc='Motor cars; "spark-ignition", 1,500-3,000 cc',
            isLeaf="False",
            cifvalue=1000.25,
            fobvalue=None,
            primaryValue=1000.25,
            netWgt=None,
            isReported=False,
        ),
        comtrade_row(cmdCode="TOTAL", cmdDesc="All Commodities", aggrLevel=0, isLeaf=False, partnerCode=0),
        comtrade_row(freqCode="M", refMonth=3, period="202303", refPeriodId=20230301, cmdCode="01"),
    ]
    path = write_comtrade_csv(raw_dir / "comtrade" / "TradeData_2023.csv", records, bom=bom, newline=newline)
    report = land(conn, "comtrade", raw_dir)
    only_landed(report, 1)
    result = report.files[0]
    assert (result.format, result.raw_table, result.rows_read) == ("comtrade_api_csv", "comtrade_flows", 4)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == bom

    types = column_types(conn, "comtrade_flows")
    assert types["cmdCode"] == "VARCHAR"
    assert types["typeCode"] == "VARCHAR"  # the first column: the BOM is not part of its name
    assert types["reporterCode"] == "INTEGER"
    assert types["primaryValue"] == "DOUBLE"
    assert types["isLeaf"] == "BOOLEAN"
    assert types["mosCode"] == "VARCHAR"

    got = rows(
        conn,
        "comtrade_flows",
        '"typeCode", "freqCode", "period", "refMonth", "partnerCode", "cmdCode", "cmdDesc", "isLeaf", '
        '"isReported", "cifvalue", "fobvalue", "primaryValue", "netWgt", "altQty", "mosCode", _line_number',
    )
    assert got == sorted(
        [
            ("C", "A", "2023", 52, 392, "010121", "Horses; live, pure-bred breeding animals", True, True,
             None, 123456.78, 123456.78, 6000.5, None, "0", 2),
            ("C", "A", "2023", 52, 842, "870323", 'Motor cars; "spark-ignition", 1,500-3,000 cc', False,
             False, 1000.25, None, 1000.25, None, None, "0", 3),
            ("C", "A", "2023", 52, 0, "TOTAL", "All Commodities", False, True,
             None, 123456.78, 123456.78, 6000.5, None, "0", 4),
            ("C", "M", "202303", 3, 392, "01", "Horses; live, pure-bred breeding animals", True, True,
             None, 123456.78, 123456.78, 6000.5, None, "0", 5),
        ],
        key=repr,
    )  # fmt: skip


def test_comtrade_booleans_accept_true_false_1_0(conn, raw_dir):
    spellings = ["True", "False", "true", "false", "1", "0"]
    records = [comtrade_row(cmdCode=f"0101{i:02d}", isLeaf=s) for i, s in enumerate(spellings)]
    write_comtrade_csv(raw_dir / "comtrade" / "booleans.csv", records)
    only_landed(land(conn, "comtrade", raw_dir), 1)
    got = rows(conn, "comtrade_flows", '"cmdCode", "isLeaf"')
    assert got == [(f"0101{i:02d}", s in ("True", "true", "1")) for i, s in enumerate(spellings)]


def test_comtrade_bulk_gzip_tab_delimited(conn, raw_dir):
    records = [
        comtrade_row(
            freqCode="M",
            refMonth=m,
            period=f"2023{m:02d}",
            refPeriodId=int(f"2023{m:02d}01"),
            cmdCode=code,
            cmdDesc="Desc, with a comma",
        )
        for m in (1, 2)
        for code in ("010121", "870323", "0101")
    ]
    name = "COMTRADE-FINAL-CA156202301H6[2024-02-15].gz"
    write_comtrade_bulk(raw_dir / "comtrade" / name, records)
    report = land(conn, "comtrade", raw_dir)
    only_landed(report, 1)
    assert report.files[0].format == "comtrade_bulk_tsv"
    assert report.files[0].rows_loaded == 6
    got = rows(conn, "comtrade_flows", '"period", "cmdCode", "cmdDesc", _source_file')
    assert got == sorted(
        (f"2023{m:02d}", code, "Desc, with a comma", f"comtrade/{name}")
        for m in (1, 2)
        for code in ("010121", "870323", "0101")
    )


def test_comtrade_api_and_bulk_files_fill_one_table(conn, raw_dir):
    write_comtrade_csv(raw_dir / "comtrade" / "api.csv", [comtrade_row(reporterCode=392, partnerCode=156)])
    write_comtrade_bulk(raw_dir / "comtrade" / "bulk.gz", [comtrade_row()])
    only_landed(land(conn, "comtrade", raw_dir), 2)
    assert rows(conn, "comtrade_flows", '"reporterCode", _source_file') == [
        (156, "comtrade/bulk.gz"),
        (392, "comtrade/api.csv"),
    ]


# --- CEPII BACI -----------------------------------------------------------------


def test_baci_flows_keep_codes_as_text(conn, raw_dir):
    write_baci(
        raw_dir / "baci" / "BACI_HS17_Y2023_V202401.csv",
        [
            [2023, 156, 392, "010121", 1.5, 0.25],
            [2023, 392, 842, "870323", 123456.789, ""],  # q missing
            [2023, 410, 490, "854231", 7, "   "],  # q padded with spaces
            [2023, 842, 156, "9999AA", 0.001, " 12.5 "],
            [2023, 251, 757, "000100", 2, 3],
        ],
    )
    report = land(conn, "baci", raw_dir)
    only_landed(report, 1)
    assert report.files[0].format == "baci_flows_csv"
    types = column_types(conn, "baci_flows")
    assert [types[c] for c in BACI_HEADER] == [
        "SMALLINT",
        "INTEGER",
        "INTEGER",
        "VARCHAR",
        "DOUBLE",
        "DOUBLE",
    ]
    assert rows(conn, "baci_flows", "t, i, j, k, v, q, _line_number") == sorted(
        [
            (2023, 156, 392, "010121", 1.5, 0.25, 2),
            (2023, 392, 842, "870323", 123456.789, None, 3),
            (2023, 410, 490, "854231", 7.0, None, 4),
            (2023, 842, 156, "9999AA", 0.001, 12.5, 5),
            (2023, 251, 757, "000100", 2.0, 3.0, 6),
        ],
        key=repr,
    )


def test_baci_country_codes_both_header_variants_fill_one_table(conn, raw_dir):
    write_baci_countries(
        raw_dir / "baci" / "country_codes_V202401.csv",
        [[842, "USA", "US", "USA"], [156, "China", "CN", "CHN"], [490, "Other Asia, nes", "", "S19"]],
    )
    write_baci_countries(
        raw_dir / "baci" / "V202201" / "country_codes_V202201.csv",
        [[392, "Japan", "Japan", "JP", "JPN"], [410, "Rep. of Korea", "Republic of Korea", "KR", "KOR"]],
        legacy=True,
    )
    report = land(conn, "baci", raw_dir)
    only_landed(report, 2)
    formats = {f.path: f.format for f in report.files}
    assert formats == {
        "baci/country_codes_V202401.csv": "baci_country_codes_csv",
        "baci/V202201/country_codes_V202201.csv": "baci_country_codes_legacy_csv",
    }
    assert rows(conn, "baci_country_codes", "country_code, country_name, country_iso2, country_iso3") == [
        (156, "China", "CN", "CHN"),
        (392, "Japan", "JP", "JPN"),
        (410, "Rep. of Korea", "KR", "KOR"),
        (490, "Other Asia, nes", None, "S19"),
        (842, "USA", "US", "USA"),
    ]


def test_baci_product_codes_with_quoted_descriptions(conn, raw_dir):
    descriptions = {
        "010121": "Horses; live, pure-bred breeding animals",
        "870323": 'Vehicles; "spark-ignition", of a cylinder capacity over 1,500cc',
        "854231": 'Electronic integrated circuits; processors and controllers, ""quoted""',
    }
    path = write_baci_products(raw_dir / "baci" / "product_codes_HS17_V202401.csv", descriptions.items())
    assert '"Vehicles; ""spark-ignition"", of a cylinder capacity over 1,500cc"' in path.read_text()
    only_landed(land(conn, "baci", raw_dir), 1)
    assert rows(conn, "baci_product_codes", "code, description") == sorted(descriptions.items())


# --- World Bank WDI -------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(
    ("code", "name"),
    [("NY.GDP.MKTP.CD", "GDP (current US$)"), ("SP.POP.TOTL", "Population, total")],
)
def test_wdi_indicator_lands_in_long_form(conn, raw_dir, code, name, newline):
    path = write_wdi_indicator(
        raw_dir / "wdi" / f"API_{code}_DS2_en_csv_v2_5728.csv",
        [1960, 1961, 2022, 2023],
        [
            ["China", "CHN", name, code, 59716467625.3148, None, 1.78e13, 1.79e13],
            ["Korea, Rep.", "KOR", name, code, None, None, 1673916511799, None],
            ["World", "WLD", name, code, None, None, None, None],  # no data at all
        ],
        newline=newline,
    )
    text = path.read_bytes().decode("utf-8")
    assert text.startswith('\ufeff"Data Source","World Development Indicators",')
    assert text.splitlines()[4].endswith('"2023",')  # the trailing comma

    report = land(conn, "wdi", raw_dir)
    only_landed(report, 1)
    assert report.files[0].format == "wdi_indicator_csv"
    assert report.files[0].rows_read == 3
    types = column_types(conn, "wdi_indicator_values")
    assert (types["year"], types["value"], types["country_code"]) == ("SMALLINT", "DOUBLE", "VARCHAR")
    assert rows(
        conn,
        "wdi_indicator_values",
        "country_name, country_code, indicator_name, indicator_code, year, value",
    ) == sorted(
        [
            ("China", "CHN", name, code, 1960, 59716467625.3148),
            ("China", "CHN", name, code, 2022, 1.78e13),
            ("China", "CHN", name, code, 2023, 1.79e13),
            ("Korea, Rep.", "KOR", name, code, 2022, 1673916511799.0),
        ],
        key=repr,
    )
    assert rows(conn, "wdi_indicator_values", "distinct _line_number") == [(6,), (7,)]


def test_wdi_country_metadata(conn, raw_dir):
    write_wdi_metadata(
        raw_dir / "wdi" / "Metadata_Country_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_5728.csv",
        [
            ["CHN", "East Asia & Pacific", "Upper middle income", 'Fiscal year, "calendar"', "China"],
            ["WLD", "", "", "World aggregate", "World"],
        ],
    )
    report = land(conn, "wdi", raw_dir)
    only_landed(report, 1)
    assert report.files[0].format == "wdi_country_metadata_csv"
    assert rows(conn, "wdi_country_metadata", '"Country Code", "Region", "IncomeGroup", "SpecialNotes"') == [
        ("CHN", "East Asia & Pacific", "Upper middle income", 'Fiscal year, "calendar"'),
        ("WLD", None, None, "World aggregate"),
    ]


# --- WITS / TRAINS --------------------------------------------------------------


def test_wits_mfn_and_preferential_told_apart_by_header(conn, raw_dir):
    # The file names say nothing: only the header tells the two formats apart.
    write_wits_mfn(
        raw_dir / "wits" / "a.csv",
        [
            wits_row(),
            wits_row(
                Reporter_ISO_N=840,
                ProductCode="010121",
                SimpleAverage=2.5,
                Min_Rate=0,
                Max_Rate=5,
                Sum_Of_Rates=5,
                TotalNoOfLines=2,
            ),
        ],
    )
    write_wits_preferential(
        raw_dir / "wits" / "b.csv",
        [wits_row(Reporter_ISO_N=410, Partner=840, SimpleAverage=0), wits_row(Partner=0, SimpleAverage=1.25)],
    )
    report = land(conn, "wits", raw_dir)
    only_landed(report, 2)
    assert {f.path: (f.format, f.raw_table) for f in report.files} == {
        "wits/a.csv": ("wits_mfn_ave_csv", "wits_mfn_tariffs"),
        "wits/b.csv": ("wits_preferential_ave_csv", "wits_preferential_tariffs"),
    }
    assert rows(conn, "wits_mfn_tariffs", '"Reporter_ISO_N", "ProductCode", "SimpleAverage", "Max_Rate"') == [
        (392, "870323", 0.0, 0.0),
        (840, "010121", 2.5, 5.0),
    ]
    assert rows(
        conn, "wits_preferential_tariffs", '"Reporter_ISO_N", "Partner", "ProductCode", "SimpleAverage"'
    ) == [(392, 0, "870323", 1.25), (410, 840, "870323", 0.0)]


# --- USITC HTS ------------------------------------------------------------------


def test_hts_rates_parsed_and_text_kept(conn, raw_dir):
    lines = [
        hts_row(
            "8703", 0, "Motor cars and other motor vehicles principally designed for the transport of persons"
        ),
        hts_row(
            "8703.23.01",
            2,
            "Of a cylinder capacity exceeding 1,500 cc but not exceeding 3,000 cc",
            "2.5%",
            Special_Rate_of_Duty="Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
            Column_2_Rate_of_Duty="10%",
            Unit_of_Quantity="No.",
        ),
        hts_row("8703.23.01.10", 3, 'New "passenger" cars, 1,500-3,000 cc'),  # inherits its parent's rate
        hts_row("0101.21.00", 2, "Purebred breeding animals", "Free", Column_2_Rate_of_Duty="Free"),
        hts_row("0406.10.04", 3, "Cheese, fresh", "1.1¢/kg + 4.9%", Column_2_Rate_of_Duty="7.7¢/kg + 25%"),
        hts_row("1701.12.10", 3, "Cane sugar", "$1.035/kg", Column_2_Rate_of_Duty="4.4¢/kg"),
        hts_row("", 1, "Other:"),  # a text row without a number
        hts_row("2009.11.00", 3, "Orange juice", "The rate applicable to the natural juice in heading 2009"),
    ]
    path = write_hts(raw_dir / "hts" / "hts_2025_revision_19_csv.csv", lines)
    assert '"Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)"' in path.read_text(encoding="utf-8")
    report = land(conn, "hts", raw_dir)
    only_landed(report, 1)
    assert report.files[0].rows_read == len(lines)
    got = rows(
        conn,
        "hts_tariff_lines",
        '"HTS Number", "Indent", "Description", "General Rate of Duty", general_ad_valorem_pct, '
        "general_has_specific, column2_ad_valorem_pct, column2_has_specific",
    )
    assert got == sorted(
        [
            ("8703", 0, lines[0]["Description"], None, None, None, None, None),
            ("8703.23.01", 2, lines[1]["Description"], "2.5%", 2.5, False, 10.0, False),
            ("8703.23.01.10", 3, 'New "passenger" cars, 1,500-3,000 cc', None, None, None, None, None),
            ("0101.21.00", 2, "Purebred breeding animals", "Free", 0.0, False, 0.0, False),
            ("0406.10.04", 3, "Cheese, fresh", "1.1¢/kg + 4.9%", 4.9, True, 25.0, True),
            ("1701.12.10", 3, "Cane sugar", "$1.035/kg", 0.0, True, 0.0, True),
            (None, 1, "Other:", None, None, None, None, None),
            # Neither ad valorem nor specific: not parsed, not guessed.
            ("2009.11.00", 3, "Orange juice", lines[-1]["General Rate of Duty"], None, False, None, None),
        ],
        key=repr,
    )
    special = rows(conn, "hts_tariff_lines", '"Special Rate of Duty"', "\"HTS Number\" = '8703.23.01'")
    assert special == [("Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",)]


def test_header_only_file_lands_as_zero_rows(conn, raw_dir):
    """A header and no rows is a valid file: landed, 0 rows, nothing quarantined."""
    write_text(raw_dir / "baci" / "BACI_HS17_Y2024_V202501.csv", ",".join(BACI_HEADER) + "\n")
    report = land(conn, "baci", raw_dir)
    assert results(report)["baci/BACI_HS17_Y2024_V202501.csv"].status == "landed"
    assert report.files[0].rows_read == 0
    assert quarantine(conn) == []


def test_wdi_indicator_without_year_columns_lands_no_values(conn, raw_dir):
    write_wdi_indicator(
        raw_dir / "wdi" / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv",
        [],
        [["Japan", "JPN", "GDP (current US$)", "NY.GDP.MKTP.CD"]],
    )
    report = land(conn, "wdi", raw_dir)
    assert [(f.status, f.rows_read, f.rows_loaded) for f in report.files] == [("landed", 1, 1)]
    assert rows(conn, "wdi_indicator_values") == []
