"""Charts of the bloc marts, as Markdown images for their materialisations' metadata
(the Dagster UI renders a base64 PNG in Markdown metadata), each under a name that
says what it shows. They read the marts; they compute nothing a mart does not hold,
and a null in the mart (a year that does not observe a figure) is a gap, never 0."""

import base64
import io
import math

import dagster as dg
import duckdb
import matplotlib

matplotlib.use("Agg")  # no screen: render to PNG
import matplotlib.pyplot as plt


def markdown_image(figure, title: str) -> dg.MetadataValue:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return dg.MetadataValue.md(f"![{title}](data:image/png;base64,{encoded})")


def intra_bloc_share(conn: duckdb.DuckDBPyConnection) -> dg.MetadataValue:
    rows = conn.execute(
        "select bloc_code, year, intra_bloc_export_share * 100 from marts.mart_bloc_trade_annual order by all"
    ).fetchall()
    figure, axes = plt.subplots(figsize=(7, 3.5))
    for bloc in sorted({bloc for bloc, _, _ in rows}):
        points = [(year, math.nan if share is None else share) for code, year, share in rows if code == bloc]
        axes.plot(*zip(*points, strict=True), marker="o", label=bloc, linewidth=2.5 if bloc == "CJK" else 1.2)
    axes.set_title("Intra-bloc share of members' exports (%)")
    axes.set_xlabel("year (no point: the year's flows do not cover trade between the members)")
    axes.grid(alpha=0.3)
    axes.legend(ncol=3, fontsize=8)
    return markdown_image(figure, "intra-bloc share of exports by bloc and year")


def us_tariff_exposure(conn: duckdb.DuckDBPyConnection) -> dg.MetadataValue:
    rows = conn.execute(
        """
        select member_iso3, sector, additional_rate_trade_weighted_pct, year
        from marts.mart_bloc_tariff_exposure
        where bloc_code = 'CJK' and period_type = 'annual'
          and year = (select max(year) from marts.mart_bloc_tariff_exposure where period_type = 'annual')
        order by sector, member_iso3
        """
    ).fetchall()
    figure, axes = plt.subplots(figsize=(7, 3.5))
    sectors = sorted({sector for _, sector, _, _ in rows})
    members = sorted({member for member, _, _, _ in rows})
    width = 0.8 / max(len(members), 1)
    for i, member in enumerate(members):
        rates = {sector: math.nan if rate is None else rate for m, sector, rate, _ in rows if m == member}
        positions = [s + i * width for s in range(len(sectors))]
        axes.bar(positions, [rates.get(sector, math.nan) for sector in sectors], width, label=member)
    axes.set_xticks([s + 0.4 - width / 2 for s in range(len(sectors))], sectors, rotation=20, fontsize=8)
    year = rows[0][3] if rows else ""
    axes.set_title(f"US additional duty on CJK exports to the US, {year} (trade-weighted %)")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=8)
    return markdown_image(figure, "US additional duty by CJK member and sector")


# Per mart: the metadata entry's name (what the chart shows) and the chart.
CHARTS = {
    dg.AssetKey(["marts", "mart_bloc_trade_annual"]): (
        "chart: intra-bloc export share by year",
        intra_bloc_share,
    ),
    dg.AssetKey(["marts", "mart_bloc_tariff_exposure"]): (
        "chart: US additional duty by CJK member and sector",
        us_tariff_exposure,
    ),
}
