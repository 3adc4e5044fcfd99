"""Write the committed sample under raw/, byte for byte in the real formats.

    python -m dagster_project.sample --out raw

Deterministic: the same bytes on every run (seeded draws, sorted output, gzip
without a timestamp). The 2023 headline figures of
shared/reference/facts/headline_2023.csv are reproduced exactly by construction;
every other value is synthetic (docs/sample-data.md).
"""

import csv
import gzip
import io
import shutil
from pathlib import Path

from . import tariffs
from .catalog import BY_ISO3, COMTRADE_HEADER, CORE, COUNTRIES, MONTHLY_YEARS, PRODUCTS, YEARS
from .flows import cif_factor, rng, true_flows

OWNED_FOLDERS = ("comtrade", "baci", "wdi", "wits", "hts")
USD_PER_KG = {hs6: per_kg for hs6, _, per_kg in PRODUCTS}
DESCRIPTION = {hs6: text for hs6, text, _ in PRODUCTS}

# Published 2023 figures (headline_2023.csv): (reporter, partner, flow) -> USD.
JPY_PER_USD_2023 = 140.5  # approximate 2023 average rate, as the facts note
CALIBRATION_2023 = {
    ("CHN", "KOR", "X"): 148_980_000_000.00,
    ("KOR", "CHN", "M"): 142_800_000_000.00,
    ("KOR", "CHN", "X"): 124_800_000_000.00,
    ("KOR", "USA", "X"): 115_720_000_000.00,
    ("USA", "CHN", "M"): 427_200_000_000.00,
    ("USA", "CHN", "X"): 147_800_000_000.00,
    # US balance with Korea -51.4 bn: exports 64.8 bn - imports 116.2 bn
    ("USA", "KOR", "X"): 64_800_000_000.00,
    ("USA", "KOR", "M"): 116_200_000_000.00,
    ("JPN", "USA", "X"): round(20.27e12 / JPY_PER_USD_2023, 2),
    ("JPN", "CHN", "X"): round(17.76e12 / JPY_PER_USD_2023, 2),
}
# Korea's totals over all partners (its World rows).
WORLD_2023 = {("KOR", "X"): 632_700_000_000.00, ("KOR", "M"): 642_700_000_000.00}

# Breakdown rows, never to be added to their totals: (chance, share of the value, fields).
BREAKDOWN_ROWS = (
    (0.02, 0.8, {"motCode": "2100", "motDesc": "Sea"}),  # by mode of transport: sea carries most
    (0.01, 0.3, {"customsCode": "C01", "customsDesc": "Inward processing"}),  # by customs procedure
)
FLOW_NAMES = {"X": "Export", "M": "Import", "RX": "Re-export", "RM": "Re-import"}


def money(value: float) -> str:
    return f"{value:.2f}"


def _scale_exactly(reports: dict, keys: list, target: float) -> None:
    """Scale the values at `keys` so that their cents add up to `target` exactly."""
    keys = sorted(keys)
    factor = target / sum(reports[k] for k in keys)
    for k in keys:
        reports[k] = round(reports[k] * factor, 2)
    reports[keys[-1]] = round(target - sum(reports[k] for k in keys[:-1]), 2)


def calibrate_flows(flows: dict) -> None:
    """Scale each calibrated pair's flows, every year, by one factor, so that 2023 lands
    near its published figure and the series stays smooth; reported_values then makes
    the 2023 reports exact."""

    def total_2023(pairs):
        return sum(sum(m) for (e, i, _, y), m in flows.items() if y == 2023 and (e, i) in pairs)

    factors = {}
    for (reporter, partner, flow), target in CALIBRATION_2023.items():
        pair = (reporter, partner) if flow == "X" else (partner, reporter)
        if pair not in factors:
            factors[pair] = target / (1.0 if flow == "X" else 1.055) / total_2023({pair})
    for (reporter, flow), total in WORLD_2023.items():
        fixed = {k[1] for k in CALIBRATION_2023 if k[0] == reporter and k[2] == flow}
        others = {c.iso3 for c in COUNTRIES} - fixed - {reporter}
        pairs = {(reporter, p) if flow == "X" else (p, reporter) for p in others} - set(factors)
        rest = total - sum(v for k, v in CALIBRATION_2023.items() if k[0] == reporter and k[2] == flow)
        already = sum(
            total_2023({pair}) * factors[pair]
            for pair in ({(reporter, p) if flow == "X" else (p, reporter) for p in others} & set(factors))
        )
        factor = (rest / (1.0 if flow == "X" else 1.055) - already) / total_2023(pairs)
        factors.update(dict.fromkeys(pairs, factor))
    for key in flows:
        factor = factors.get(key[:2])
        if factor:
            flows[key] = [m * factor for m in flows[key]]


def reported_values(flows: dict) -> dict:
    """{(reporter, partner, flow, hs6, year, month): USD} as each side reports; month 0 = annual."""
    reports = {}
    for (exporter, importer, hs6, year), months in flows.items():
        cif = cif_factor(exporter, importer, hs6, year)
        for month, value in enumerate(months, start=1):
            if year in MONTHLY_YEARS and exporter in CORE:
                reports[exporter, importer, "X", hs6, year, month] = round(value, 2)
            if year in MONTHLY_YEARS and importer in CORE:
                reports[importer, exporter, "M", hs6, year, month] = round(value * cif, 2)
        reports[exporter, importer, "X", hs6, year, 0] = sum(months)
        reports[importer, exporter, "M", hs6, year, 0] = sum(months) * cif
    # Annual = the sum of the published months where monthly data exist.
    for key in [k for k in reports if k[5] == 0 and k[4] in MONTHLY_YEARS]:
        months = [reports.get((*key[:5], m)) for m in range(1, 13)]
        if all(v is not None for v in months):
            reports[key] = round(sum(months), 2)
    for key, value in reports.items():
        reports[key] = round(value, 2)
    annual_2023 = [k for k in reports if k[4] == 2023 and k[5] == 0]
    for (reporter, partner, flow), target in CALIBRATION_2023.items():
        keys = [k for k in annual_2023 if k[:3] == (reporter, partner, flow)]
        _scale_exactly(reports, keys, target)
    for (reporter, flow), total in WORLD_2023.items():
        fixed = {k[1]: v for k, v in CALIBRATION_2023.items() if k[0] == reporter and k[2] == flow}
        rest = [k for k in annual_2023 if k[0] == reporter and k[2] == flow and k[1] not in fixed]
        _scale_exactly(reports, rest, total - sum(fixed.values()))
    return reports


def comtrade_row(reporter, partner, flow, hs6, year, month, value, **overrides) -> list[str]:
    rep, par = BY_ISO3[reporter], (BY_ISO3[partner] if partner else None)
    is_total = hs6 == "TOTAL"
    weight = (
        ""
        if is_total
        else f"{value / USD_PER_KG[hs6] * rng('kg', reporter, partner, hs6, year).uniform(0.8, 1.2):.1f}"
    )
    row = {
        "typeCode": "C",
        "freqCode": "M" if month else "A",
        "refPeriodId": f"{year}{month or 1:02d}01",
        "refYear": str(year),
        "refMonth": str(month or 52),
        "period": f"{year}{month:02d}" if month else str(year),
        "reporterCode": str(rep.trade_code),
        "reporterISO": rep.comtrade_iso,
        "reporterDesc": rep.comtrade_name,
        "flowCode": flow,
        "flowDesc": FLOW_NAMES[flow],
        "partnerCode": str(par.trade_code) if par else "0",
        "partnerISO": par.comtrade_iso if par else "W00",
        "partnerDesc": par.comtrade_name if par else "World",
        "partner2Code": "0",
        "partner2ISO": "W00",
        "partner2Desc": "World",
        "classificationCode": "H5",
        "classificationSearchCode": "HS",
        "isOriginalClassification": "True",
        "cmdCode": hs6,
        "cmdDesc": "All Commodities" if is_total else DESCRIPTION[hs6],
        "aggrLevel": "0" if is_total else "6",
        "isLeaf": "False" if is_total else "True",
        "customsCode": "C00",
        "customsDesc": "TOTAL CPC",
        "mosCode": "0",
        "motCode": "0",
        "motDesc": "TOTAL MOT",
        "qtyUnitCode": "-1" if is_total else "8",
        "qtyUnitAbbr": "N/A" if is_total else "kg",
        "qty": weight,
        "isQtyEstimated": "False",
        "altQtyUnitCode": "-1",
        "altQtyUnitAbbr": "N/A",
        "altQty": "",
        "isAltQtyEstimated": "False",
        "netWgt": weight,
        "isNetWgtEstimated": "False",
        "grossWgt": "",
        "isGrossWgtEstimated": "False",
        "cifvalue": money(value) if flow in ("M", "RM") else "",
        "fobvalue": money(value) if flow in ("X", "RX") else "",
        "primaryValue": money(value),
        "legacyEstimationFlag": "0",
        "isReported": "True",
        "isAggregate": "True" if is_total or not par else "False",
    }
    row.update(overrides)
    return [row[name] for name in COMTRADE_HEADER]


def comtrade_records(reports: dict, reporter: str, year: int, month: int, partners, top: int | None = None):
    """HS6 rows, TOTAL rows per partner, World TOTAL rows, and a few breakdown rows.
    With `top`, only the largest products of each partner and flow are reported."""
    rows, totals = [], {}
    keys = [k for k in reports if k[0] == reporter and k[4] == year and k[5] == month and k[1] in partners]
    if top:
        ranked = sorted(keys, key=lambda k: (k[1], k[2], -reports[k], k[3]))
        keys = [k for n, k in enumerate(ranked) if n < top or ranked[n - top][:3] != k[:3]]
    for key in sorted(keys):
        _, partner, flow, hs6, _, _ = key
        value = reports[key]
        rows.append(comtrade_row(reporter, partner, flow, hs6, year, month, value))
        totals[partner, flow] = totals.get((partner, flow), 0.0) + value
        draw = rng("breakdown", *key)
        for chance, share, fields in BREAKDOWN_ROWS:
            if draw.random() < chance:
                rows.append(
                    comtrade_row(reporter, partner, flow, hs6, year, month, round(value * share, 2), **fields)
                )
    world = {}
    for (partner, flow), value in sorted(totals.items()):
        rows.append(comtrade_row(reporter, partner, flow, "TOTAL", year, month, round(value, 2)))
        world[flow] = world.get(flow, 0.0) + value
    for flow, value in sorted(world.items()):
        rows.append(comtrade_row(reporter, None, flow, "TOTAL", year, month, round(value, 2)))
    if reporter == "SGP" and not month:  # re-exports of chips, never counted as exports
        rows.append(
            comtrade_row("SGP", "CHN", "RX", "854231", year, 0, round(2.1e9 * (1.05 ** (year - 2015)), 2))
        )
    if reporter == "USA" and not month:
        rows.append(
            comtrade_row("USA", "CAN", "RM", "870323", year, 0, round(3.5e8 * (1.02 ** (year - 2015)), 2))
        )
    return rows


def write_comtrade(out: Path, reports: dict) -> None:
    folder = out / "comtrade"
    reporters = [c.iso3 for c in COUNTRIES if c.reports]
    all_partners = {c.iso3 for c in COUNTRIES}
    for reporter in CORE:
        code = BY_ISO3[reporter].trade_code
        for year in YEARS:
            rows = comtrade_records(reports, reporter, year, 0, all_partners)
            _write_gzip_tsv(folder / f"COMTRADE-FINAL-CA{code}{year}H5[2026-07-01].gz", rows)
            if year in MONTHLY_YEARS:
                for month in range(1, 13):
                    rows = comtrade_records(reports, reporter, year, month, all_partners)
                    _write_gzip_tsv(
                        folder / f"COMTRADE-FINAL-CM{code}{year}{month:02d}H5[2026-07-01].gz", rows
                    )
    for n, reporter in enumerate(r for r in reporters if r not in CORE):
        # The sample's other reporters report their trade with the four core economies.
        rows = [r for year in YEARS for r in comtrade_records(reports, reporter, year, 0, set(CORE), top=6)]
        path = folder / f"TradeData_{BY_ISO3[reporter].trade_code}_{reporter}_A_2015-2025.csv"
        _write_csv(path, [COMTRADE_HEADER, *rows], bom=n % 2 == 0)


def _write_csv(path: Path, rows, bom: bool = False) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))


def _write_gzip_tsv(path: Path, rows) -> None:
    text = "\n".join("\t".join(row) for row in [COMTRADE_HEADER, *rows]) + "\n"
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(text.encode("utf-8"))


def write_baci(out: Path, flows: dict, reports: dict) -> None:
    """BACI reconciles both sides: here, the mean of the exporter's report and the
    importer's report brought to FOB, where the sample has them, else the model."""
    folder = out / "baci"
    by_year: dict[int, list] = {}
    for (exporter, importer, hs6, year), months in sorted(flows.items()):
        if year > 2024:  # BACI lags: its releases stop two years back
            continue
        fob = reports.get((exporter, importer, "X", hs6, year, 0))
        cif = reports.get((importer, exporter, "M", hs6, year, 0))
        sides = [v for v in (fob, cif / 1.05 if cif else None) if v]
        value = (sum(sides) / len(sides) if sides else sum(months)) * rng(
            "baci", exporter, importer, hs6, year
        ).uniform(0.99, 1.01)
        tons = value / USD_PER_KG[hs6] / 1000
        draw = rng("baci-q", exporter, importer, hs6, year).random()
        q = "" if draw < 0.025 else ("   " + f"{tons:.3f}" if draw < 0.05 else f"{tons:.3f}")
        by_year.setdefault(year, []).append(
            [
                str(year),
                str(BY_ISO3[exporter].trade_code),
                str(BY_ISO3[importer].trade_code),
                hs6,
                f"{max(value / 1000, 0.001):.3f}",
                q,
            ]
        )
    for year, rows in by_year.items():
        _write_csv(folder / f"BACI_HS17_Y{year}_V202501.csv", [["t", "i", "j", "k", "v", "q"], *rows])
    countries = [[str(c.trade_code), c.comtrade_name, _iso2(c.iso3), c.iso3] for c in COUNTRIES]
    _write_csv(
        folder / "country_codes_V202501.csv",
        [
            ["country_code", "country_name", "country_iso2", "country_iso3"],
            *sorted(countries, key=lambda r: int(r[0])),
        ],
    )
    _write_csv(
        folder / "product_codes_HS17_V202501.csv",
        [["code", "description"], *[[k, d] for k, d, _ in PRODUCTS]],
    )


def _iso2(iso3: str) -> str:
    import pycountry

    return pycountry.countries.get(alpha_3=iso3).alpha_2


def write_wdi(out: Path) -> None:
    folder = out / "wdi"
    years = list(range(1960, 2025))
    indicators = {
        "NY.GDP.MKTP.CD": ("GDP (current US$)", lambda c, y: c.size * 1e9 * 1.045 ** (y - 2023)),
        "SP.POP.TOTL": ("Population, total", lambda c, y: _population(c.iso3) * 1.004 ** (y - 2023)),
    }
    countries = [c for c in COUNTRIES if c.wdi_name]
    aggregates = [
        ("World", "WLD", 105_000),
        ("East Asia & Pacific", "EAS", 32_000),
        ("European Union", "EUU", 18_300),
        ("High income", "HIC", 64_000),
    ]
    for n, (code, (name, value_of)) in enumerate(indicators.items(), start=1):
        rows = []
        for c in countries:
            rows.append(
                [c.wdi_name, c.iso3, name, code, *(_wdi_cell(value_of(c, y), y, c.iso3, code) for y in years)]
            )
        for agg_name, agg_code, size in aggregates:
            pseudo = type("Agg", (), {"size": size, "iso3": agg_code})
            rows.append(
                [
                    agg_name,
                    agg_code,
                    name,
                    code,
                    *(_wdi_cell(value_of(pseudo, y), y, agg_code, code) for y in years),
                ]
            )
        lines = [
            '"Data Source","World Development Indicators",',
            "",
            '"Last Updated Date","2025-07-01",',
            "",
            _wdi_line(["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, years)]),
        ]
        lines += [_wdi_line(row) for row in rows]
        (folder / f"API_{code}_DS2_en_csv_v2_{1000 + n}.csv").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    meta = [_wdi_line(["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"])]
    for c in countries:
        income = (
            "High income"
            if c.iso3
            in (
                "JPN",
                "KOR",
                "USA",
                "AUS",
                "NZL",
                "SGP",
                "BRN",
                "DEU",
                "FRA",
                "GBR",
                "ITA",
                "NLD",
                "CHE",
                "CAN",
                "SAU",
            )
            else "Upper middle income"
        )
        meta.append(_wdi_line([c.iso3, c.region, income, "", c.wdi_name]))
    for agg_name, agg_code, _ in aggregates:
        meta.append(_wdi_line([agg_code, "", "", "", agg_name]))
    (folder / "Metadata_Country_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1001.csv").write_text(
        "\n".join(meta) + "\n", encoding="utf-8"
    )


_POPULATION_M = {
    "CHN": 1410,
    "JPN": 124,
    "KOR": 51.7,
    "USA": 335,
    "AUS": 26.6,
    "BRN": 0.45,
    "KHM": 17.4,
    "IDN": 277,
    "LAO": 7.6,
    "MYS": 34.3,
    "MMR": 54.6,
    "NZL": 5.2,
    "PHL": 117,
    "SGP": 5.9,
    "THA": 71.8,
    "VNM": 100,
    "DEU": 84.5,
    "FRA": 68.2,
    "GBR": 68.3,
    "ITA": 59,
    "NLD": 17.9,
    "CHE": 8.8,
    "RUS": 143.8,
    "IND": 1429,
    "CAN": 40.1,
    "MEX": 128,
    "BRA": 216,
    "SAU": 36.9,
    "WLD": 8060,
    "EAS": 2380,
    "EUU": 448,
    "HIC": 1260,
}


def _population(iso3: str) -> float:
    return _POPULATION_M[iso3] * 1e6


def _wdi_cell(value: float, year: int, iso3: str, code: str) -> str:
    if year < 2015:
        return ""
    return f"{value * rng('wdi', iso3, code, year).uniform(0.98, 1.02):.1f}"


def _wdi_line(values) -> str:
    return ",".join('"' + str(v).replace('"', '""') + '"' for v in values) + ","


def generate(out: Path) -> None:
    for name in OWNED_FOLDERS:
        shutil.rmtree(out / name, ignore_errors=True)
        (out / name).mkdir(parents=True)
    flows = true_flows([c.iso3 for c in COUNTRIES])
    calibrate_flows(flows)
    reports = reported_values(flows)
    write_comtrade(out, reports)
    write_baci(out, flows, reports)
    write_wdi(out)
    tariffs.write_wits(out / "wits")
    tariffs.write_hts(out / "hts")
