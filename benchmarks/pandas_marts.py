"""fct_trade and mart_bloc_trade_annual in plain pandas, for BACI-only input: the usual
notebook approach, the baseline the benchmarks compare the pipeline with. Nothing in
the pipeline uses it (dbt is the single home of the logic; this copy only measures).

    python -m benchmarks.pandas_marts RAW_DIR OUT_CSV

reads RAW_DIR/baci/ with pandas.read_csv and writes mart_bloc_trade_annual to OUT_CSV,
so that benchmarks.run can check it against the dbt mart. The rules are those of
dbt_project/models/marts/trade/fct_trade.sql and
dbt_project/models/marts/metrics/mart_bloc_trade_annual.sql (and its YAML); with BACI
only, every flow is BACI's, and there is no GDP (no WDI files).
"""

import sys
from pathlib import Path

import pandas as pd

from dagster_project import settings

MEMBERSHIPS = settings.DBT_PROJECT_DIR / "seeds" / "bloc_memberships.csv"


def fct_trade(baci_dir: Path) -> pd.DataFrame:
    """One row per year x exporter x importer x HS6, values in USD and kg, countries as
    ISO3 (flows whose code the country file lacks are dropped, as dbt's inner join
    does). Columns that are always empty for BACI-only input are left out."""
    codes = pd.read_csv(next(baci_dir.glob("country_codes_*.csv")), keep_default_na=False)
    iso3 = codes.set_index("country_code")["country_iso3"]
    flows = pd.concat(
        [pd.read_csv(path, dtype={"k": str}) for path in sorted(baci_dir.glob("BACI_*.csv"))],
        ignore_index=True,
    )
    fct = pd.DataFrame(
        {
            "period_key": flows["t"].astype(str),
            "period_type": "annual",
            "year": flows["t"],
            "exporter_iso3": flows["i"].map(iso3),
            "importer_iso3": flows["j"].map(iso3),
            "hs6": flows["k"],
            "value_usd": flows["v"] * 1000,  # BACI v: thousands of USD
            "value_source": "baci",
            "net_weight_kg": flows["q"] * 1000,  # BACI q: tonnes
        }
    )
    fct["baci_value_usd"] = fct["value_usd"]
    return fct.dropna(subset=["exporter_iso3", "importer_iso3"])


def _members(years) -> pd.DataFrame:
    """(bloc_code, iso3, year): a member on 1 July of the year."""
    memberships = pd.read_csv(MEMBERSHIPS, parse_dates=["valid_from", "valid_to"])
    pairs = memberships.merge(pd.DataFrame({"year": years}), how="cross")
    july = pd.to_datetime(pairs["year"].astype(str) + "-07-01")
    member = (pairs["valid_from"] <= july) & (pairs["valid_to"].isna() | (july <= pairs["valid_to"]))
    return pairs.loc[member, ["bloc_code", "iso3", "year"]].drop_duplicates()


def _side(flows: pd.DataFrame, members: pd.DataFrame, member: str, partner: str) -> pd.DataFrame:
    """Flows whose `member` column is a member of the bloc, flagged intra-bloc when
    the `partner` column is a member of the same bloc that year."""
    side = flows.merge(members.rename(columns={"iso3": member}), on=[member, "year"])
    partners = members.rename(columns={"iso3": partner}).assign(is_intra_bloc=True)
    side = side.merge(partners, on=["bloc_code", partner, "year"], how="left")
    side["is_intra_bloc"] = side["is_intra_bloc"].notna()
    return side


def _sums(side: pd.DataFrame, total: str, **masks) -> pd.DataFrame:
    """Per bloc and year, the sum of value_usd (named `total`) and its sum over the
    rows of each mask."""
    columns = {total: side["value_usd"]}
    columns.update({name: side["value_usd"].where(mask, 0.0) for name, mask in masks.items()})
    return side[["bloc_code", "year"]].assign(**columns).groupby(["bloc_code", "year"]).sum()


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator != 0)  # SQL's x / nullif(y, 0)


def mart_bloc_trade_annual(fct: pd.DataFrame) -> pd.DataFrame:
    flows = (
        fct[fct["period_type"] == "annual"]
        .groupby(["year", "exporter_iso3", "importer_iso3"], as_index=False)["value_usd"]
        .sum()
    )
    world = flows.groupby("year").agg(world_exports_usd=("value_usd", "sum"))
    to_usa = flows[flows["importer_iso3"] == "USA"].groupby("year")["value_usd"].sum()
    world["world_exports_to_usa_usd"] = to_usa.reindex(world.index, fill_value=0.0)

    members = _members(sorted(flows["year"].unique()))
    blocs = members.groupby(["bloc_code", "year"]).agg(
        member_count=("iso3", "size"), has_usa_as_member=("iso3", lambda s: (s == "USA").any())
    )
    exports = _side(flows, members, "exporter_iso3", "importer_iso3")
    not_usa = exports["exporter_iso3"] != "USA"
    export_sums = _sums(
        exports,
        "exports_usd",
        intra_bloc_exports_usd=exports["is_intra_bloc"],
        extra_bloc_exports_usd=~exports["is_intra_bloc"],
        non_usa_member_exports_usd=not_usa,
        exports_to_usa_usd=not_usa & (exports["importer_iso3"] == "USA"),
    )
    imports = _side(flows, members, "importer_iso3", "exporter_iso3")
    import_sums = _sums(
        imports,
        "imports_usd",
        intra_bloc_imports_usd=imports["is_intra_bloc"],
        extra_bloc_imports_usd=~imports["is_intra_bloc"],
        imports_from_usa_usd=(imports["exporter_iso3"] == "USA") & (imports["importer_iso3"] != "USA"),
    )
    m = blocs.join(export_sums).join(import_sums).fillna(0.0).reset_index()
    m = m.merge(world, left_on="year", right_index=True)
    m["trade_balance_with_usa_usd"] = m["exports_to_usa_usd"] - m["imports_from_usa_usd"]
    m["intra_bloc_export_share"] = _ratio(m["intra_bloc_exports_usd"], m["exports_usd"])
    bloc_share_of_world = _ratio(m["imports_usd"], m["world_exports_usd"])
    usa_share = _ratio(m["exports_to_usa_usd"], m["non_usa_member_exports_usd"])
    world_usa_share = _ratio(m["world_exports_to_usa_usd"], m["world_exports_usd"])
    m["trade_intensity_index_intra_bloc"] = _ratio(m["intra_bloc_export_share"], bloc_share_of_world)
    m["trade_intensity_index_with_usa"] = _ratio(usa_share, world_usa_share)
    # No GDP without WDI files: combined GDP and trade-to-GDP are empty, as in the mart.
    m["combined_gdp_usd"] = float("nan")
    m["members_with_gdp_count"] = 0
    m["trade_to_gdp_ratio"] = float("nan")
    return m[
        [
            "bloc_code",
            "year",
            "member_count",
            "has_usa_as_member",
            "exports_usd",
            "imports_usd",
            "intra_bloc_exports_usd",
            "intra_bloc_imports_usd",
            "extra_bloc_exports_usd",
            "extra_bloc_imports_usd",
            "exports_to_usa_usd",
            "imports_from_usa_usd",
            "trade_balance_with_usa_usd",
            "non_usa_member_exports_usd",
            "intra_bloc_export_share",
            "trade_intensity_index_intra_bloc",
            "trade_intensity_index_with_usa",
            "world_exports_usd",
            "world_exports_to_usa_usd",
            "combined_gdp_usd",
            "members_with_gdp_count",
            "trade_to_gdp_ratio",
        ]
    ]


def main(raw_dir: Path, out: Path) -> None:
    fct = fct_trade(raw_dir / "baci")
    mart = mart_bloc_trade_annual(fct)
    mart.to_csv(out, index=False)
    print(f"pandas: fct_trade {len(fct)} rows, mart_bloc_trade_annual {len(mart)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
