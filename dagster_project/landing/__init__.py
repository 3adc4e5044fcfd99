"""Landing: read each raw file format as it comes and load it into schema raw."""

from .baci import BACI
from .comtrade import COMTRADE
from .hts import HTS
from .measures import MEASURES_KIND
from .wdi import WDI
from .wits import WITS

SOURCE_KINDS = (COMTRADE, BACI, WDI, WITS, HTS, MEASURES_KIND)

__all__ = ["SOURCE_KINDS"]
