"""What reading and importing a trade file produce: the table shapes, the results, the errors.

Cells of the result frames are the text written to the package's CSV files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataPackageError, UsageError

TRADE_COLUMNS = ["reporter", "partner", "year", "exports_fob", "exports_estimated",
                 "imports_cif", "imports_estimated", "source"]
WORLD_COLUMNS = ["reporter", "year", "exports_fob", "exports_estimated",
                 "imports_cif", "imports_estimated", "source"]
PRODUCT_COLUMNS = ["reporter", "partner", "year", "flow", "classification", "code",
                   "description", "value_usd", "source"]
SOURCE_COLUMNS = ["id", "kind", "title", "author", "publisher", "published", "accessed", "url",
                  "credit", "scope", "note"]
TRADE_ORDER = ["reporter", "partner", "year", "source"]
WORLD_ORDER = ["reporter", "year", "source"]
PRODUCT_ORDER = ["reporter", "partner", "year", "flow", "classification", "code", "source"]
MAX_LISTED = 10  # bad rows named in an error message


class TradeFileError(DataPackageError):
    """A trade file that cannot be imported; the message says why and where."""


class NoSuchTradeFile(UsageError):
    """The path given does not exist."""


class UnreadableTradeFile(TradeFileError):
    """Not a text table: binary, compressed wrongly, or in an encoding that is not UTF-8/Latin-1."""


class UnknownLayout(TradeFileError):
    """The header matches none of LAYOUTS."""

    def __init__(self, message: str, columns: list[str]):
        super().__init__(message)
        self.columns = columns


class BadRows(TradeFileError):
    """Rows that cannot be read; nothing was imported."""

    def __init__(self, message: str, problems: tuple["RowProblem", ...]):
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class RowProblem:
    line: int       # physical line in the (decompressed) file; the header is line 1
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Outcome:
    """What import_file did (or, on a dry run, would do) to the package."""

    package_dir: Path
    dry_run: bool
    trade_added: int
    trade_replaced: int        # rows of the same source id taken out first
    products_added: int
    products_replaced: int
    source_replaced: bool
    overlapping: int           # new trade rows whose reporter/partner/year another source also has
    older_versions: tuple[str, ...] = ()   # sources of other versions of a file with this name
    changed: tuple[str, ...] = ()          # files whose content the import changes (or would change)
    written: tuple[str, ...] = ()          # files rewritten (none on a dry run)
    world_added: int = 0                   # rows for trade_totals (the reporters' trade with the world)
    world_replaced: int = 0


@dataclass(frozen=True, eq=False)
class Imported:
    """A trade file read into the package's shapes. Cells are the text written to the CSV files."""

    path: Path
    layout: str
    totals: pd.DataFrame       # TRADE_COLUMNS, US$ million, one row per reporter, partner and year
    products: pd.DataFrame     # PRODUCT_COLUMNS, US$
    source: dict[str, str]     # the row for sources.csv
    problems: tuple[RowProblem, ...] = ()
    notes: tuple[str, ...] = ()
    rows_read: int = 0
    outcome: Outcome | None = None
    world: pd.DataFrame | None = None   # WORLD_COLUMNS, US$ million: rows with the partner World

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.totals["year"]} | {int(y) for y in self.products["year"]}
                      | {int(y) for y in self.world_rows["year"]})

    @property
    def reporters(self) -> list[str]:
        return sorted(set(self.totals["reporter"]) | set(self.products["reporter"]) | set(self.world_rows["reporter"]))

    @property
    def partners(self) -> list[str]:
        return sorted(set(self.totals["partner"]) | set(self.products["partner"]))

    @property
    def world_rows(self) -> pd.DataFrame:
        return self.world if self.world is not None else pd.DataFrame(columns=WORLD_COLUMNS, dtype=object)
