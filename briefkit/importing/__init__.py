"""Bring a trade file (UN Comtrade or IMF DOTS) into the data package, with a source row for it.

    imported = read("TradeData.csv")                   # parse and check; writes nothing
    imported = import_file("TradeData.csv", "data")    # merge into trade, trade_totals, trade_products, sources
    print(summary(imported))

One module per stage, read top to bottom:

    decoding.py   bytes -> text rows (gzip, encodings, delimiters, ragged rows)
    layouts.py    which header names play which role; the LAYOUTS registry and detection
    records.py    rows -> records: country codes, numbers, years, flags
    comtrade.py   the Comtrade layouts (comtrade-plus, comtrade-legacy, comtrade-bulk)
    dots.py       the tidy IMF DOTS layout (imf-dots)
    totals.py     records -> annual values per flow (TOTAL row, else the 2-digit sum), World rows apart
    reading.py    read(): all of the above plus the source row; writes nothing
    package.py    the package's files as text, as an import rewrites them
    writing.py    import_file(): checks against the schemas, then all-or-nothing writes
    report.py     summary(): what the command line prints

Layouts (detected from the header, names compared without case or extra spaces)
-------------------------------------------------------------------------------
comtrade-plus    Comtrade Plus download or API export (refYear, reporterCode/ISO, partnerCode/ISO,
                 flowCode or flowDesc, cmdCode or cmdDesc "All Commodities", primaryValue, ...).
comtrade-legacy  Legacy comtrade.un.org export, the 35-column layout or any subset of it (Year, Trade
                 Flow Code or Trade Flow, Reporter ISO/Code, Partner ISO/Code, Commodity Code, Trade
                 Value (US$)).
comtrade-bulk    Legacy bulk download with numeric codes only (Year, Reporter Code, Trade Flow Code,
                 Partner Code, Commodity Code, Value).
imf-dots         Tidy IMF Direction of Trade Statistics file (reporter_iso3, partner_iso3, year, flow,
                 value_usd_millions).

What goes where
---------------
* trade (US$ million): one row per reporter, partner and year (see totals.py for how a flow's
  annual value is made; product codes that lost a leading zero get it back first, comtrade.py).
* trade_totals (US$ million): the reporter's trade with the partner World, when the file has it.
* trade_products (US$): every product row (any code length) of a Comtrade file with a country partner.
* sources: one row for the file, id `<comtrade|imf>-<file stem>-<8 hex of its SHA-256>`; its
  `accessed` date is the file's own date unless one is given (reading.py), its `scope` says when
  the file holds one flow only (e.g. exports as each exporter reports them).

All or nothing: a file with any bad row (bad number, unknown country, missing year, unknown flow,
conflicting duplicate) raises BadRows naming the lines, and nothing is written.
"""
from __future__ import annotations

from . import comtrade, dots  # noqa: F401  (register the layouts, in this order)
from .layouts import LAYOUTS, Layout, detect, get, register
from .reading import read
from .report import summary
from .results import (PRODUCT_COLUMNS, SOURCE_COLUMNS, TRADE_COLUMNS, WORLD_COLUMNS, BadRows, Imported,
                      NoSuchTradeFile, Outcome, RowProblem, TradeFileError, UnknownLayout, UnreadableTradeFile)
from .writing import import_file

__all__ = [
    "LAYOUTS", "Layout", "register", "get", "detect",
    "Imported", "Outcome", "RowProblem", "read", "import_file", "summary",
    "TradeFileError", "NoSuchTradeFile", "UnreadableTradeFile", "UnknownLayout", "BadRows",
    "TRADE_COLUMNS", "WORLD_COLUMNS", "PRODUCT_COLUMNS", "SOURCE_COLUMNS",
]
