"""The synthetic flow model: gravity-like values, both reported sides, 2025 tariffs.

Every random draw comes from a `random.Random` seeded with a string that names what
is drawn (the flow, the year, the month), so the values do not depend on the order
in which files are written, and the output is identical on every run.
"""

import math
import random
from datetime import date

from .catalog import BY_ISO3, CJK, LISTED_FLOWS, MONTHLY_YEARS, PRODUCTS, YEARS

SEED = "tradebloc-sample-v1"
_SCALE = 40.0  # USD per unit of size_e^0.9 * size_i^0.8


def rng(*parts) -> random.Random:
    return random.Random("|".join([SEED, *map(str, parts)]))


def strength(exporter: str, hs6: str) -> float:
    weight = 1.0
    for prefix, factor in BY_ISO3[exporter].strengths.items():
        if hs6.startswith(prefix):
            weight *= factor
    return weight


def is_present(exporter: str, importer: str, hs6: str) -> bool:
    """Absent flows are normal: small pairs trade fewer products."""
    if (exporter, importer, hs6) in LISTED_FLOWS:
        return True
    e, i = BY_ISO3[exporter], BY_ISO3[importer]
    if e.listed_flows_only or i.listed_flows_only:
        return False
    density = 0.2 + 0.12 * math.log10(max(e.size * i.size, 1) / 1e4)
    if strength(exporter, hs6) > 1:
        density += 0.4
    return rng("present", exporter, importer, hs6).random() < min(density, 0.97)


def annual_base(exporter: str, importer: str, hs6: str, year: int) -> float:
    """Value of a flow in a year before 2025's tariff effects, USD."""
    e, i = BY_ISO3[exporter], BY_ISO3[importer]
    level = _SCALE * e.size**0.9 * i.size**0.8 * strength(exporter, hs6)
    if e.region == i.region and e.region:
        level *= 2.0  # neighbours trade more
    flow = rng("level", exporter, importer, hs6)
    level *= flow.lognormvariate(0, 0.8)
    growth = flow.uniform(-0.02, 0.08)
    noise = rng("year", exporter, importer, hs6, year).uniform(0.9, 1.1)
    covid = 0.9 if year == 2020 else 1.0
    return level * (1 + growth) ** (year - 2015) * noise * covid


def tariff_effect(exporter: str, importer: str, hs6: str, day: date) -> float:
    """How 2025's US measures move a flow on a day (1.0 = no effect)."""
    if day.year != 2025:
        return 1.0
    if importer == "USA":
        if exporter in ("JPN", "KOR") and hs6.startswith(("8703", "8708")):
            start = date(2025, 4, 3) if hs6.startswith("8703") else date(2025, 5, 3)
            deal = date(2025, 9, 16) if exporter == "JPN" else date(2025, 11, 1)
            if day >= deal:
                return 0.85  # partial recovery at 15%
            if day >= start:
                return 0.65
        if hs6.startswith(("72", "73", "76")) and day >= date(2025, 6, 4):
            return 0.7
        if exporter == "CHN" and day >= date(2025, 4, 5):
            return 0.8
    if exporter in ("JPN", "KOR") and importer in CJK and hs6.startswith("8703") and day >= date(2025, 4, 3):
        return 1.08  # some diversion inside the bloc
    return 1.0


def monthly_values(exporter: str, importer: str, hs6: str, year: int) -> list[float]:
    """Twelve monthly values whose sum is the year's value (seasonality, tariffs)."""
    base = annual_base(exporter, importer, hs6, year)
    season = rng("season", exporter, hs6)
    weights = [1 + 0.15 * math.sin((m + season.uniform(0, 12)) * math.pi / 6) for m in range(12)]
    total = sum(weights)
    return [
        base * w / total * tariff_effect(exporter, importer, hs6, date(year, m + 1, 15))
        for m, w in enumerate(weights)
    ]


def cif_factor(exporter: str, importer: str, hs6: str, year: int) -> float:
    """Importer's CIF report / exporter's FOB report: freight and insurance, and
    now and then a large asymmetry, as real mirror statistics show."""
    draw = rng("cif", exporter, importer, hs6, year)
    factor = draw.uniform(1.03, 1.08)
    if draw.random() < 0.04:
        factor *= draw.uniform(0.55, 1.6)
    return factor


def true_flows(countries: list[str]):
    """{(exporter, importer, hs6, year): [12 monthly values]} for every present flow."""
    flows = {}
    for exporter in countries:
        for importer in countries:
            if exporter == importer:
                continue
            for hs6, _, _ in PRODUCTS:
                if not is_present(exporter, importer, hs6):
                    continue
                for year in YEARS:
                    flows[exporter, importer, hs6, year] = monthly_values(exporter, importer, hs6, year)
    return flows


__all__ = ["MONTHLY_YEARS", "cif_factor", "rng", "true_flows"]
