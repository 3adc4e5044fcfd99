"""The sample's countries and products: real codes and descriptions, synthetic sizes.

`size` is a rough economic size (about GDP in USD bn, 2023) that drives the gravity
model; `strengths` multiply the weight of HS prefixes in a country's exports so that
each country's product mix looks like its real one (Korea and Japan in cars and
chips, Australia in ores and coal, ...). Only these shapes are modelled on reality;
the values they produce are synthetic.
"""

from dataclasses import dataclass, field

from ..landing import comtrade


@dataclass(frozen=True)
class Country:
    iso3: str
    trade_code: int  # Comtrade / BACI numeric code
    iso_numeric: int  # ISO 3166 numeric (WITS)
    comtrade_iso: str  # what Comtrade writes in reporterISO / partnerISO
    comtrade_name: str
    wdi_name: str
    size: float
    region: str
    strengths: dict[str, float] = field(default_factory=dict)
    reports: bool = True  # reports to Comtrade (Taiwan does not)
    listed_flows_only: bool = False  # trades only its LISTED_FLOWS, outside the gravity model


COUNTRIES = (
    Country(
        "CHN",
        156,
        156,
        "CHN",
        "China",
        "China",
        17800,
        "East Asia & Pacific",
        {"85": 4, "84": 3, "61": 5, "62": 4, "72": 3, "73": 3, "76": 3, "94": 4, "95": 5, "8507": 6},
    ),
    Country(
        "JPN",
        392,
        392,
        "JPN",
        "Japan",
        "Japan",
        4200,
        "East Asia & Pacific",
        {"8703": 9, "8708": 6, "8486": 8, "8542": 3, "72": 3, "9013": 3},
    ),
    Country(
        "KOR",
        410,
        410,
        "KOR",
        "Rep. of Korea",
        "Korea, Rep.",
        1710,
        "East Asia & Pacific",
        {"8703": 9, "8708": 6, "854232": 14, "8542": 5, "72": 3, "8507": 5, "8901": 6, "2710": 2},
    ),
    Country(
        "USA",
        842,
        840,
        "USA",
        "USA",
        "United States",
        27400,
        "North America",
        {"8802": 7, "1201": 6, "2711": 5, "8542": 3, "8486": 3, "3004": 4, "2709": 2},
    ),
    Country(
        "AUS",
        36,
        36,
        "AUS",
        "Australia",
        "Australia",
        1720,
        "East Asia & Pacific",
        {"2601": 30, "2701": 20, "2711": 12, "1001": 6},
    ),
    Country(
        "BRN",
        96,
        96,
        "BRN",
        "Brunei Darussalam",
        "Brunei Darussalam",
        15,
        "East Asia & Pacific",
        {"2709": 20, "2711": 20},
    ),
    Country("KHM", 116, 116, "KHM", "Cambodia", "Cambodia", 31, "East Asia & Pacific", {"61": 20, "62": 20}),
    Country(
        "IDN",
        360,
        360,
        "IDN",
        "Indonesia",
        "Indonesia",
        1370,
        "East Asia & Pacific",
        {"2701": 20, "72": 4, "2711": 5},
    ),
    Country(
        "LAO", 418, 418, "LAO", "Lao People's Dem. Rep.", "Lao PDR", 15, "East Asia & Pacific", {"2601": 5}
    ),
    Country(
        "MYS",
        458,
        458,
        "MYS",
        "Malaysia",
        "Malaysia",
        400,
        "East Asia & Pacific",
        {"8542": 8, "2711": 6, "8541": 6},
    ),
    Country("MMR", 104, 104, "MMR", "Myanmar", "Myanmar", 65, "East Asia & Pacific", {"62": 10, "2711": 8}),
    Country("NZL", 554, 554, "NZL", "New Zealand", "New Zealand", 250, "East Asia & Pacific", {"0808": 20}),
    Country("PHL", 608, 608, "PHL", "Philippines", "Philippines", 440, "East Asia & Pacific", {"8542": 10}),
    Country(
        "SGP",
        702,
        702,
        "SGP",
        "Singapore",
        "Singapore",
        500,
        "East Asia & Pacific",
        {"8542": 8, "2710": 6, "3004": 4},
    ),
    Country(
        "THA",
        764,
        764,
        "THA",
        "Thailand",
        "Thailand",
        510,
        "East Asia & Pacific",
        {"8708": 5, "8471": 6, "4011": 6},
    ),
    Country(
        "VNM",
        704,
        704,
        "VNM",
        "Viet Nam",
        "Viet Nam",
        430,
        "East Asia & Pacific",
        {"8517": 15, "61": 6, "62": 6, "0901": 5, "9403": 5},
    ),
    Country(
        "DEU",
        276,
        276,
        "DEU",
        "Germany",
        "Germany",
        4460,
        "Europe & Central Asia",
        {"8703": 6, "8708": 4, "3004": 6, "8486": 2},
    ),
    Country(
        "FRA", 251, 250, "FRA", "France", "France", 3030, "Europe & Central Asia", {"8802": 8, "3004": 4}
    ),
    Country(
        "GBR",
        826,
        826,
        "GBR",
        "United Kingdom",
        "United Kingdom",
        3340,
        "Europe & Central Asia",
        {"8703": 3, "3004": 5},
    ),
    Country("ITA", 380, 380, "ITA", "Italy", "Italy", 2250, "Europe & Central Asia", {"3004": 3, "9403": 3}),
    Country(
        "NLD",
        528,
        528,
        "NLD",
        "Netherlands",
        "Netherlands",
        1120,
        "Europe & Central Asia",
        {"8486": 10, "2710": 4},
    ),
    Country("CHE", 757, 756, "CHE", "Switzerland", "Switzerland", 880, "Europe & Central Asia", {"3004": 12}),
    Country(
        "RUS",
        643,
        643,
        "RUS",
        "Russian Federation",
        "Russian Federation",
        2020,
        "Europe & Central Asia",
        {"2709": 20, "2711": 10, "2701": 8, "7601": 6},
    ),
    Country("IND", 699, 356, "IND", "India", "India", 3550, "South Asia", {"3004": 6, "2710": 6, "62": 4}),
    Country(
        "CAN", 124, 124, "CAN", "Canada", "Canada", 2140, "North America", {"2709": 10, "7601": 6, "8703": 4}
    ),
    Country(
        "MEX",
        484,
        484,
        "MEX",
        "Mexico",
        "Mexico",
        1790,
        "Latin America & Caribbean",
        {"8703": 6, "8708": 6, "8471": 4},
    ),
    Country(
        "BRA",
        76,
        76,
        "BRA",
        "Brazil",
        "Brazil",
        2170,
        "Latin America & Caribbean",
        {"2601": 12, "1201": 15, "2709": 5, "0901": 6},
    ),
    Country(
        "SAU",
        682,
        682,
        "SAU",
        "Saudi Arabia",
        "Saudi Arabia",
        1070,
        "Middle East & North Africa",
        {"2709": 40, "2901": 6, "3901": 6},
    ),
    Country(
        "TWN",
        490,
        158,
        "S19",
        "Other Asia, nes",
        "",
        750,
        "",
        {"8542": 14, "8486": 3, "8471": 3},
        reports=False,
    ),
    Country(
        "HKG",
        344,
        344,
        "HKG",
        "China, Hong Kong SAR",
        "",  # no WDI rows: the sample's Hong Kong is there for its toys only
        380,
        "East Asia & Pacific",
        listed_flows_only=True,
    ),
)
BY_ISO3 = {c.iso3: c for c in COUNTRIES}
CJK = ("CHN", "JPN", "KOR")
# Flows present whatever the gravity model draws. The US tariff schedule covers another
# exporter's lines only where it ships their HS6 to the US, and two cases of the
# validation table (tests/fixtures/us_tariff_validation.csv) are Hong Kong's and
# Mexico's toys: HKG-RECIP-01 and MEX-FENT-01.
LISTED_FLOWS = {("HKG", "USA", "950300"), ("MEX", "USA", "950300")}
# Reporters with full HS6 detail against every partner, annual and monthly.
CORE = ("CHN", "JPN", "KOR", "USA")

# (hs6, description, typical USD per kg) - HS 2017 codes and descriptions.
PRODUCTS = (
    ("010121", "Horses; live, pure-bred breeding animals", 40.0),
    (
        "030617",
        "Crustaceans; frozen, shrimps and prawns (excluding cold-water varieties), in shell or not",
        9.0,
    ),
    ("080810", "Fruit, edible; apples, fresh", 1.2),
    ("090111", "Coffee; not roasted or decaffeinated", 4.0),
    ("100199", "Cereals; wheat and meslin, other than durum wheat, other than seed", 0.3),
    ("120190", "Soya beans; whether or not broken, other than seed", 0.5),
    ("260111", "Iron ores and concentrates; non-agglomerated", 0.12),
    ("270112", "Coal; bituminous, whether or not pulverised, but not agglomerated", 0.15),
    ("270900", "Petroleum oils and oils obtained from bituminous minerals; crude", 0.6),
    ("271019", "Petroleum oils, not crude, and preparations n.e.c.; other than light oils", 0.8),
    ("271111", "Petroleum gases and other gaseous hydrocarbons; liquefied, natural gas", 0.7),
    ("290121", "Acyclic hydrocarbons; unsaturated, ethylene", 1.1),
    (
        "300490",
        "Medicaments; consisting of mixed or unmixed products, packaged for retail sale, n.e.c.",
        90.0,
    ),
    (
        "390110",
        "Polymers of ethylene; polyethylene having a specific gravity of less than 0.94, in primary forms",
        1.3,
    ),
    (
        "401110",
        "New pneumatic tyres, of rubber; of a kind used on motor cars (including station wagons and racing cars)",
        3.5,
    ),
    ("610910", "T-shirts, singlets and other vests; of cotton, knitted or crocheted", 18.0),
    ("620342", "Trousers, bib and brace overalls, breeches and shorts; men's or boys', of cotton", 16.0),
    (
        "720839",
        "Iron or non-alloy steel; flat-rolled, width 600mm or more, hot-rolled, in coils, of a thickness of less than 3mm",
        0.7,
    ),
    (
        "720917",
        "Iron or non-alloy steel; flat-rolled, width 600mm or more, cold-rolled, in coils, thickness 0.5mm or more but not exceeding 1mm",
        0.8,
    ),
    (
        "721049",
        "Iron or non-alloy steel; flat-rolled, width 600mm or more, plated or coated with zinc, other than corrugated",
        0.9,
    ),
    ("722410", "Alloy steel (other than stainless); in ingots and other primary forms", 1.5),
    (
        "730431",
        "Tubes, pipes and hollow profiles; seamless, of iron or non-alloy steel, circular, cold-drawn or cold-rolled",
        2.0,
    ),
    (
        "731815",
        "Screws and bolts; of iron or steel, threaded, whether or not with their nuts or washers",
        3.0,
    ),
    ("760120", "Aluminium; unwrought, alloys", 2.4),
    (
        "760612",
        "Aluminium; plates, sheets and strip, thickness exceeding 0.2mm, rectangular (including square), of aluminium alloys",
        3.5,
    ),
    ("761090", "Aluminium; structures and parts of structures, n.e.c. in heading 7610", 5.0),
    ("847130", "Automatic data processing machines; portable, weighing not more than 10kg", 120.0),
    ("847330", "Machinery; parts and accessories of the machines of heading 8471", 80.0),
    ("848610", "Machines and apparatus for the manufacture of boules or wafers", 300.0),
    (
        "848620",
        "Machines and apparatus for the manufacture of semiconductor devices or of electronic integrated circuits",
        400.0,
    ),
    ("848690", "Machines and apparatus of heading 8486; parts and accessories", 250.0),
    ("850760", "Electric accumulators; lithium-ion", 20.0),
    ("851712", "Telephones for cellular networks or for other wireless networks", 150.0),
    (
        "854140",
        "Photosensitive semiconductor devices, including photovoltaic cells; light emitting diodes",
        30.0,
    ),
    (
        "854231",
        "Electronic integrated circuits; processors and controllers, whether or not combined with memories, converters, logic circuits, amplifiers, clock and timing circuits, or other circuits",
        2500.0,
    ),
    ("854232", "Electronic integrated circuits; memories", 1800.0),
    ("854239", "Electronic integrated circuits; n.e.c. in heading 8542", 1500.0),
    (
        "870321",
        "Vehicles; spark-ignition internal combustion reciprocating piston engine only, cylinder capacity not over 1000cc",
        8.0,
    ),
    (
        "870323",
        "Vehicles; spark-ignition internal combustion reciprocating piston engine only, cylinder capacity over 1500 but not over 3000cc",
        15.0,
    ),
    (
        "870324",
        "Vehicles; spark-ignition internal combustion reciprocating piston engine only, cylinder capacity over 3000cc",
        22.0,
    ),
    (
        "870340",
        "Vehicles; with both spark-ignition engine and electric motor, not capable of being charged by plugging to external power",
        18.0,
    ),
    ("870380", "Vehicles; with only electric motor for propulsion", 25.0),
    ("870829", "Vehicle parts and accessories; of bodies, other than safety seat belts", 6.0),
    ("870840", "Vehicle parts; gear boxes and parts thereof", 9.0),
    ("870850", "Vehicle parts; drive-axles with differential, and non-driving axles, and parts thereof", 7.0),
    ("870899", "Vehicle parts and accessories; n.e.c. in heading 8708", 8.0),
    ("880240", "Aeroplanes and other aircraft; of an unladen weight exceeding 15000kg", 1500.0),
    (
        "890190",
        "Vessels; for the transport of goods and vessels for the transport of both persons and goods, n.e.c.",
        3.0,
    ),
    (
        "901380",
        "Liquid crystal devices n.e.c. in heading 9013; other optical appliances and instruments",
        60.0,
    ),
    ("940360", "Furniture; wooden, n.e.c. in heading 9403", 3.0),
    (
        "950300",
        "Toys; tricycles, scooters, pedal cars, dolls, puzzles and other toys; reduced-size models",
        8.0,
    ),
)
YEARS = tuple(range(2015, 2026))
MONTHLY_YEARS = (2024, 2025)

# The 47 fields of a Comtrade API CSV / bulk file, in order (the landing layer's list).
COMTRADE_HEADER = [column.name for column in comtrade.COLUMNS]
