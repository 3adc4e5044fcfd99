"""The years a raw file holds, read from the name the source gives its downloads.

Yearly partitions land only the files of their years: `BACI_HS17_Y2023_V202501.csv`
holds 2023, the Comtrade bulk file `COMTRADE-FINAL-CA1562023H5[...].gz` 2023 (annual,
period YYYY) and `...CM842202404H5...` 2024 (monthly, period YYYYMM), an API download
named `..._2015-2025.csv` 2015 to 2025 (`..._2023.csv`: 2023). A name that states no year (code lists,
other downloads) gives None: such a file is landed by whichever partition runs.

A zip archive holds the years of its members (`BACI_HS17_V202501.zip`: every year
of the release), and a member, named `<archive>/<member>` in the ledger, its own.
"""

import re
import zipfile
from pathlib import Path

_BACI = re.compile(r"^BACI_HS\d\d_Y(\d{4})_")
_COMTRADE_BULK = re.compile(r"^COMTRADE-\w+-C([AM])(\d+)H\d")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)-((?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"_((?:19|20)\d\d)\.csv$")
_DATA_MEMBER = re.compile(r"\.(csv|txt|tsv)$", re.IGNORECASE)
_HIDDEN_MEMBER = re.compile(r"(^|/)(\.|__MACOSX/)")


def archive_members(path: Path) -> list[str]:
    """The data members (CSV or text files) of a zip archive, in its order; none if unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [m for m in archive.namelist() if _DATA_MEMBER.search(m) and not _HIDDEN_MEMBER.search(m)]
    except (OSError, zipfile.BadZipFile):
        return []


def file_years(path: Path) -> set[int] | None:
    name = path.name
    if name.lower().endswith(".zip") and path.is_file():
        held = [file_years(Path(member)) for member in archive_members(path)]
        return set().union(*held) if held and all(years is not None for years in held) else None
    if match := _BACI.match(name):
        return {int(match[1])}
    if match := _COMTRADE_BULK.match(name):
        period = match[2]
        return {int(period[-4:] if match[1] == "A" else period[-6:-2])}
    if name.startswith("TradeData"):  # Comtrade API downloads
        if match := _YEAR_RANGE.search(name):
            return set(range(int(match[1]), int(match[2]) + 1))
        if match := _YEAR.search(name):
            return {int(match[1])}
    return None
