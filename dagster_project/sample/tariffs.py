"""Synthetic tariff files: WITS/TRAINS AVE files and a USITC HTS extract.

MFN levels follow the real schedules' shape (US cars 2.5%, Korea's 8%, China's 15%
from July 2018 and 25% before, Japan's 0%); preferential rates are below MFN for
RCEP partners from 2022 (phased in), KORUS, the China-Korea FTA and ASEAN FTAs.
The values are synthetic.
"""

import csv
from pathlib import Path

from ..landing import hts, wits
from .catalog import BY_ISO3, PRODUCTS
from .flows import rng

WITS_YEARS = range(2015, 2025)
IMPORTERS = ("CHN", "JPN", "KOR", "USA")
# MFN by importer and HS prefix (longest prefix wins), percent ad valorem.
MFN = {
    "USA": {
        "": 2.0,
        "8703": 2.5,
        "8708": 2.5,
        "72": 0.3,
        "73": 1.2,
        "76": 2.5,
        "61": 16.5,
        "62": 16.6,
        "84": 0.5,
        "85": 0.8,
        "8542": 0.0,
        "0": 1.5,
        "95": 0.0,
        "3004": 0.0,
        "1201": 0.0,
    },
    "KOR": {
        "": 6.5,
        "8703": 8.0,
        "8708": 8.0,
        "72": 0.5,
        "73": 4.0,
        "76": 3.0,
        "8542": 0.0,
        "0": 20.0,
        "1201": 3.0,
        "61": 13.0,
        "62": 13.0,
    },
    "JPN": {
        "": 2.5,
        "8703": 0.0,
        "8708": 0.0,
        "72": 0.0,
        "73": 0.0,
        "76": 3.0,
        "8542": 0.0,
        "0": 9.0,
        "61": 9.0,
        "62": 9.0,
    },
    "CHN": {
        "": 7.5,
        "8703": 15.0,
        "8708": 6.0,
        "72": 4.0,
        "73": 7.0,
        "76": 6.0,
        "8542": 0.0,
        "0": 12.0,
        "1201": 3.0,
        "2709": 0.0,
        "2601": 0.0,
    },
}
# (importer, partner) -> (first year, share of MFN kept in that year, yearly cut)
PREFERENCES = {
    ("USA", "KOR"): (2015, 0.0, 0.0),  # KORUS
    ("KOR", "USA"): (2015, 0.1, 0.02),
    ("CHN", "KOR"): (2016, 0.8, 0.08),  # China-Korea FTA, from 2015-12-20
    ("KOR", "CHN"): (2016, 0.8, 0.08),
    ("JPN", "AUS"): (2015, 0.5, 0.05),
    ("KOR", "AUS"): (2015, 0.4, 0.05),
    ("CHN", "AUS"): (2016, 0.6, 0.06),
    ("JPN", "CHN"): (2022, 0.9, 0.05),  # RCEP: Japan and China's first FTA
    ("CHN", "JPN"): (2022, 0.9, 0.05),
    ("JPN", "KOR"): (2022, 0.9, 0.05),  # RCEP from 2022-02-01 for Korea
    ("KOR", "JPN"): (2022, 0.92, 0.04),
    **{
        (imp, asean): (2015, 0.3, 0.02)
        for imp in ("CHN", "KOR", "JPN")
        for asean in ("IDN", "MYS", "PHL", "SGP", "THA", "VNM")
    },
}


def mfn_rate(importer: str, hs6: str, year: int) -> float:
    table = MFN[importer]
    prefix = max((p for p in table if hs6.startswith(p)), key=len)
    rate = table[prefix]
    if importer == "CHN" and hs6.startswith("8703") and year < 2019:
        rate = 25.0  # cut to 15% in July 2018
    return rate


def write_wits(folder: Path) -> None:
    mfn_rows, pref_rows = [], []
    for importer in IMPORTERS:
        code = BY_ISO3[importer].iso_numeric
        for year in WITS_YEARS:
            for hs6, _, _ in PRODUCTS:
                rate = mfn_rate(importer, hs6, year)
                mfn_rows.append([*_key(code, year, hs6), *_stats(rate, importer, hs6, year)])
                for (imp, partner), (first, kept, cut) in sorted(PREFERENCES.items()):
                    if imp != importer or year < first:
                        continue
                    share = max(kept - cut * (year - first), 0.0)
                    pref = round(rate * share, 2)
                    pref_rows.append(
                        [
                            *_key(code, year, hs6),
                            str(BY_ISO3[partner].iso_numeric),
                            *_stats(pref, importer, hs6, year),
                        ]
                    )
    _write(folder / "TRAINS_MFN_AVE_H5_2015-2024.csv", [[c.name for c in wits.MFN.columns], *mfn_rows])
    _write(
        folder / "TRAINS_PRF_AVE_H5_2015-2024.csv", [[c.name for c in wits.PREFERENTIAL.columns], *pref_rows]
    )


def _key(code: int, year: int, hs6: str) -> list[str]:
    return ["H5", str(code), str(year), hs6]


def _stats(rate: float, importer: str, hs6: str, year: int) -> list[str]:
    lines = 1 + rng("lines", importer, hs6).randrange(6)
    spread = 0.0 if rate == 0 else min(rate, 1.0)
    free = lines if rate == 0 else 0
    return [
        f"{rate * lines:.2f}",
        f"{max(rate - spread, 0):.2f}",
        f"{rate + spread:.2f}",
        f"{rate:.2f}",
        "0",
        str(free),
        "0",
        str(lines - free),
        str(lines),
        str(lines),
        "",
    ]


# HTS rates (general, special, column 2) by HS6: real-looking texts, synthetic where marked.
HTS_RATES = {
    "0306": ("1.1¢/kg + 4.9%", "Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)", "6.6¢/kg + 25%"),
    "1001": ("0.65¢/kg", "Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)", "1.8¢/kg"),
    "2709": ("$0.0525/bbl", "Free (A+,AU,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "$0.0105/bbl"),
    "61": ("16.5%", "Free (AU,BH,CL,CO,IL,JO,KR,MA,OM,P,PA,PE,S,SG)", "90%"),
    "62": ("16.6%", "Free (AU,BH,CL,CO,IL,JO,KR,MA,OM,P,PA,PE,S,SG)", "90%"),
    "4011": ("4%", "Free (A+,AU,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "10%"),
    "7318": ("8.5%", "Free (A+,AU,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "45%"),
    "7601": ("2.6%", "Free (A+,AU,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "10.5%"),
    "7606": ("3%", "Free (A+,AU,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "25%"),
    "8507": ("3.4%", "Free (A,AU,B,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "40%"),
    "8703": ("2.5%", "Free (A+,AU,B,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "10%"),
    "8708": ("2.5%", "Free (A,AU,B,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "25%"),
    "9013": ("4.5%", "Free (A,AU,B,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG)", "45%"),
}
HTS_FREE = ("Free", "", "Free")


def write_hts(folder: Path) -> None:
    rows = [[c.name for c in hts.COLUMNS]]
    headings = set()
    for hs6, description, _ in PRODUCTS:
        heading = hs6[:4]
        if heading not in headings:
            headings.add(heading)
            rows.append([heading, "0", f"Heading {heading}", "", "", "", "", "", ""])
        general, special, column2 = next(
            (
                rates
                for prefix, rates in sorted(HTS_RATES.items(), key=lambda item: -len(item[0]))
                if hs6.startswith(prefix)
            ),
            HTS_FREE,
        )
        hts8 = f"{hs6[:4]}.{hs6[4:]}.00"
        rows.append([hts8, "1", description, "", general, special, column2, "", ""])
        for n, unit in enumerate(('["No."]', '["kg"]'), start=1):
            rows.append([f"{hts8}.{n}0", "2", "New" if n == 1 else "Other", unit, "", "", "", "", ""])
    _write(folder / "hts_2025_revision_19_csv.csv", rows)


def _write(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
