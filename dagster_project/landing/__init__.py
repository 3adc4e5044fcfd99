"""Landing: read each raw file format as it comes and load it into schema raw."""

from .baci import BACI
from .comtrade import COMTRADE
from .hts import HTS
from .wdi import WDI
from .wits import WITS

SOURCE_KINDS = (COMTRADE, BACI, WDI, WITS, HTS)

__all__ = ["SOURCE_KINDS"]
