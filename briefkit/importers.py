"""Bring a trade file (UN Comtrade or IMF DOTS) into the data package, with a source row for it.

    imported = read("TradeData.csv")                   # parse and check; writes nothing
    imported = import_file("TradeData.csv", "data")    # merge into trade, trade_products, sources
    print(summary(imported))

Layouts (``LAYOUTS``; detected from the header, names compared without case or extra spaces)
------------------------------------------------------------------------------------------
comtrade-plus    Comtrade Plus download (typeCode, freqCode, refYear, reporterCode, reporterISO,
                 flowCode, partnerCode, partnerISO, cmdCode, primaryValue, isReported, ...).
                 Needs refYear, reporterISO or reporterCode, partnerISO or partnerCode, flowCode,
                 cmdCode, primaryValue.
comtrade-legacy  Legacy comtrade.un.org export, the 35-column layout or any subset of it. Needs Year,
                 Trade Flow Code or Trade Flow, Reporter ISO or Reporter Code, Partner ISO or
                 Partner Code, Commodity Code, Trade Value (US$).
comtrade-bulk    Legacy bulk download with numeric codes only. Needs Year, Reporter Code, Trade Flow
                 Code, Partner Code, Commodity Code, Value.
imf-dots         Tidy IMF Direction of Trade Statistics file. Needs reporter_iso3, partner_iso3,
                 year, flow, value_usd_millions.
The required sets exclude each other ("Trade Value (US$)" vs "Value", "refYear" vs "Year"), so a
header matches at most one layout.

Files may be UTF-8 (with or without a byte-order mark), Windows-1252 or Latin-1 (tried in that
order), gzip-compressed, comma-, tab- or semicolon-separated, with LF or CRLF line ends, and with
a trailing delimiter on the header and/or the rows (Comtrade Plus writes one on every row).

What goes where
---------------
* ``trade`` (US$ million): one row per reporter, partner and year. A flow's annual value is the
  file's TOTAL row when there is one, otherwise the sum of the 2-digit codes (HS chapters, SITC
  divisions) of one classification. Longer codes are never added in, so files that mix 2-, 4- and
  6-digit rows are not double counted. A flow with neither a TOTAL nor 2-digit rows gets no
  annual value (a note says so). When a file holds several classifications for the same flow,
  one is used: a TOTAL row first, then HS before SITC, newest edition first.
  Comtrade values are US dollars and are divided by 1e6; DOTS values are already US$ million.
* ``trade_products`` (US$): every product row (any code length) of a Comtrade file.
* ``sources``: one row for the file, id ``<comtrade|imf>-<file stem>-<8 hex of its SHA-256>``.

Flows: exports (Plus X, legacy 2 / Export) and imports (M, 1 / Import). Re-exports and re-imports
(RX, RM, 3, 4) and Plus's domestic-export / foreign-import split (DX, FM) are left out: X and M
already include them, so adding them would count the same goods twice.
Rows kept out on purpose (listed in ``Imported.notes``, not errors): partner or reporter "World"
(code 0, WLD, W00) and other non-country areas ("Areas, nes", "Other Asia, nes", bunkers, free
zones, ...), services rows, rows broken down by second partner, customs procedure or mode of
transport (their total row is the one kept), and a country trading with itself.
Estimated: Comtrade Plus marks estimated values with isReported = false. The legacy Flag and the
bulk Estimation Code only concern quantities and weights, so those values count as reported
(false). DOTS has its own 0/1 ``estimated`` column.

Countries: Comtrade numeric codes are M49 codes except where Comtrade keeps its own
(``COMTRADE_CODES``: 699 India, 842 USA, 251 France, 757 Switzerland, ...); otherwise the
package's countries.m49 column (or pycountry, when reading without a package). An ISO3 column
is used when a row has no numeric code.

All or nothing: a file with any bad row (bad number, unknown country, missing year, unknown flow,
conflicting duplicate) raises ``BadRows`` naming the lines, and nothing is written. ``import_file``
checks the new rows against the package's Table Schemas and foreign keys, writes every changed
file to a temporary name, then renames them into place. Importing the same file again replaces
the rows of its own source id; other sources' rows are left byte for byte as they were.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
import pycountry

from .errors import DataPackageError, UsageError
from .tableschema import TableError, check_foreign_keys, check_table, load_schema

__all__ = [
    "LAYOUTS", "Layout", "register", "get", "detect",
    "Imported", "Outcome", "RowProblem", "read", "import_file", "summary",
    "TradeFileError", "NoSuchTradeFile", "UnreadableTradeFile", "UnknownLayout", "BadRows",
    "TRADE_COLUMNS", "PRODUCT_COLUMNS",
]

TRADE_COLUMNS = ["reporter", "partner", "year", "exports_fob", "exports_estimated",
                 "imports_cif", "imports_estimated", "source"]
PRODUCT_COLUMNS = ["reporter", "partner", "year", "flow", "classification", "code",
                   "description", "value_usd", "source"]
SOURCE_COLUMNS = ["id", "kind", "title", "author", "publisher", "published", "accessed", "url", "note"]
TRADE_ORDER = ["reporter", "partner", "year", "source"]
PRODUCT_ORDER = ["reporter", "partner", "year", "flow", "classification", "code", "source"]

MAX_LISTED = 10  # bad rows named in an error message
TOTAL = "TOTAL"
UNSPECIFIED = "unspecified"  # classification of product rows from a file without one
MILLION = Decimal(1_000_000)

# Comtrade's own numeric codes where they differ from M49 / ISO 3166-1 numeric
# (from the Comtrade country list, country_data.csv in comtrade-bulk-india-china-2010).
COMTRADE_CODES = {
    699: "IND", 842: "USA", 841: "USA",  # USA (before 1981)
    251: "FRA", 381: "ITA", 579: "NOR", 757: "CHE",
    736: "SDN",   # Sudan before South Sudan's independence
    711: "ZAF",   # Southern African Customs Union (to 1999): Comtrade files it under South Africa
    280: "DEU",   # Fmr Fed. Rep. of Germany
    278: "DDR", 810: "SUN", 890: "YUG", 891: "SCG", 200: "CSK", 720: "YMD",
    886: "YEM",   # Fmr Arab Rep. of Yemen (the package's countries table uses YEM for it)
    230: "ETH", 588: "PAK", 590: "PAN", 868: "VNM", 658: "KNA",
    530: "ANT", 532: "ANT",  # Netherlands Antilles (with/without Aruba)
}
# Comtrade codes that name no country: aggregates, unallocated areas, sub-national units.
NON_COUNTRY = {
    0: "World", 97: "EU-27", 58: "Belgium-Luxembourg", 80: "British Antarctic Territory",
    129: "Caribbean, nes", 221: "Eastern Europe, nes", 290: "Northern Africa, nes",
    457: "Sarawak", 459: "Peninsula Malaysia", 461: "Sabah", 471: "CACM, nes",
    472: "Africa CAMEU region, nes", 473: "LAIA, nes", 490: "Other Asia, nes", 492: "Europe EU, nes",
    527: "Oceania, nes", 536: "Neutral Zone", 568: "Other Europe, nes", 577: "Other Africa, nes",
    636: "Rest of America, nes", 637: "North and Central America, nes", 647: "Ryukyu Islands",
    697: "Europe EFTA, nes", 698: "Sikkim", 717: "Fmr Rhodesia Nyasaland", 835: "Fmr Tanganyika",
    836: "Fmr Zanzibar and Pemba", 837: "Bunkers", 838: "Free zones", 839: "Special categories",
    849: "US Misc. Pacific Islands", 879: "Western Asia, nes", 899: "Areas, nes",
}
WORLD_ISO = {"WLD", "W00"}
AREA_ISO = re.compile(r"_.*|[A-Z]\d\d|[A-Z]{2}\d|X\d+")  # Comtrade Plus area codes: _X, S19, E19, X1
# Former states the package keeps besides ISO 3166-1 (see scripts/build_data.py).
HISTORICAL_CODES = {"ANT", "CSK", "DDR", "SCG", "SUN", "XKX", "YMD", "YUG"}


# ------------------------------------------------------------------------------------ errors

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


# ------------------------------------------------------------------------------------ layouts

@dataclass(frozen=True)
class Layout:
    """A file layout: which header names play which role, and how rows become records."""

    name: str
    title: str                              # for the source row's title
    publisher: str
    url: str
    id_prefix: str                          # source ids are <id_prefix>-<stem>-<hash>
    columns: dict[str, tuple[str, ...]]     # role -> header names that can play it
    required: tuple[tuple[str, ...], ...]   # groups of roles; each group needs one of its roles
    convert: Callable[["_Context"], None]

    def find(self, header: list[str]) -> dict[str, int]:
        """Role -> column index, for the roles this header has."""
        where = {_norm(name): i for i, name in reversed(list(enumerate(header)))}
        found = {}
        for role, names in self.columns.items():
            for name in names:
                if _norm(name) in where:
                    found[role] = where[_norm(name)]
                    break
        return found

    def missing(self, header: list[str]) -> list[str]:
        found = self.find(header)
        return [" or ".join(self.columns[r][0] for r in group)
                for group in self.required if not any(r in found for r in group)]

    def matches(self, header: list[str]) -> bool:
        return not self.missing(header)

    def needs(self) -> str:
        return ", ".join(" or ".join(self.columns[r][0] for r in group) for group in self.required)


LAYOUTS: dict[str, Layout] = {}


def register(layout: Layout) -> Layout:
    LAYOUTS[layout.name] = layout
    return layout


def get(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise UsageError(f'Unknown trade file layout "{name}": valid layouts are {", ".join(LAYOUTS)}') from None


def detect(header: list[str], file_name: str = "the file") -> Layout:
    """The layout whose required columns the header has; UnknownLayout otherwise."""
    header = _clean_header(header)
    for layout in LAYOUTS.values():
        if layout.matches(header):
            return layout
    shown = ", ".join(header[:20]) + (f", ... ({len(header)} columns)" if len(header) > 20 else "")
    known = "; ".join(f"{l.name} (needs {l.needs()})" for l in LAYOUTS.values())
    closest = min(LAYOUTS.values(), key=lambda l: len(l.missing(header)))
    gap = closest.missing(header)
    hint = ""
    if len(gap) < len(closest.required):
        hint = f" Closest: {closest.name}, which also needs {', '.join(gap)}."
    raise UnknownLayout(
        f"Unknown trade file layout in {file_name}: columns found: {shown or '(none)'}. "
        f"Known layouts: {known}.{hint}", header)


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _clean_header(header: list[str]) -> list[str]:
    header = [h.replace("\ufeff", "").strip() for h in header]
    while header and header[-1] == "":
        header.pop()  # a trailing delimiter
    return header


# ------------------------------------------------------------------------------------ results

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


@dataclass(frozen=True, eq=False)
class Imported:
    """A trade file read into the package's shapes. Cells are the text written to the CSV files."""

    path: Path
    layout: str
    totals: pd.DataFrame       # TRADE_COLUMNS, US$ million
    products: pd.DataFrame     # PRODUCT_COLUMNS, US$
    source: dict[str, str]     # the row for sources.csv
    problems: tuple[RowProblem, ...] = ()
    notes: tuple[str, ...] = ()
    rows_read: int = 0
    outcome: Outcome | None = None

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.totals["year"]} | {int(y) for y in self.products["year"]})

    @property
    def reporters(self) -> list[str]:
        return sorted(set(self.totals["reporter"]) | set(self.products["reporter"]))

    @property
    def partners(self) -> list[str]:
        return sorted(set(self.totals["partner"]) | set(self.products["partner"]))


# ------------------------------------------------------------------------------------ reading text

def _load_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NoSuchTradeFile(f"No such file: {path}") from None
    except IsADirectoryError:
        raise NoSuchTradeFile(f"{path} is a folder; give the trade file itself") from None
    except OSError as exc:
        raise UnreadableTradeFile(f"{path} cannot be read: {exc.strerror or exc}") from None


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a trade file; UnreadableTradeFile when it is not text."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, ValueError, zlib.error) as exc:
            raise UnreadableTradeFile(f"{name} looks gzip-compressed but cannot be decompressed: {exc}") from None
    if data[:4] == b"PK\x03\x04":
        raise UnreadableTradeFile(f"{name} is a zip archive: unzip it and import the CSV inside")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableTradeFile(f"{name} starts like UTF-16 text but is not: {exc}") from None
    if b"\x00" in data[:1 << 16]:
        raise UnreadableTradeFile(
            f"{name} is a binary file (it contains NUL bytes), not a CSV text file: "
            "export or download the data as CSV")
    if not data.strip():
        raise UnreadableTradeFile(f"{name} is empty")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # latin-1 decodes any byte; text that is not text shows up as control characters.
    controls = re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)
    if len(controls) > max(3, len(text) // 1000):
        line = text.count("\n", 0, re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text).start()) + 1
        raise UnreadableTradeFile(
            f"{name} does not read as text in UTF-8, Windows-1252 or Latin-1: {len(controls):,} "
            f"control characters (the first on line {line}). Save it as UTF-8 CSV and try again")
    return text, ("utf-8" if encoding == "utf-8-sig" else encoding)


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max([",", "\t", ";"], key=first.count)


@dataclass
class _Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]   # (line number, cells), blank lines dropped
    problems: list[RowProblem]
    encoding: str


def _parse(text: str, encoding: str, name: str) -> _Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = _clean_header(next(reader, []))
        if not any(header):
            raise UnreadableTradeFile(f"{name} has no header row")
        width = len(header)
        rows, problems, line = [], [], reader.line_num
        for cells in reader:
            start = line + 1
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank line (the bulk file ends with two)
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]  # trailing delimiter(s)
            if len(cells) != width:
                problems.append(RowProblem(start, f"has {len(cells)} cells but the header has {width}"))
                continue
            rows.append((start, cells))
    except csv.Error as exc:
        raise UnreadableTradeFile(f"{name} is not a readable CSV file (near line {reader.line_num}): {exc}") from None
    return _Table(header, rows, problems, encoding)


# ------------------------------------------------------------------------------------ countries

class _Countries:
    """ISO3 codes a row may use, and numeric codes -> ISO3."""

    def __init__(self, iso3: set[str] | None = None, m49: dict[int, str] | None = None):
        self.from_package = iso3 is not None
        if iso3 is None:
            iso3 = {c.alpha_3 for c in pycountry.countries} | HISTORICAL_CODES
            m49 = {int(c.numeric): c.alpha_3 for c in pycountry.countries}
        self.iso3 = iso3
        self.m49 = m49 or {}

    def unknown(self, code: str, via: str = "") -> str:
        if self.from_package:
            return f"{code}{via} is not in the package's countries table (add a row to countries.csv)"
        return f"{code}{via} is not an ISO 3166 country code"

    def resolve(self, side: str, iso: str, code: str) -> tuple[str | None, str | None, str | None]:
        """(iso3, skip reason, problem) for one side of a row; exactly one is set."""
        iso, code = iso.strip().upper(), code.strip()
        if code:
            try:
                number = int(code)
            except ValueError:
                return None, None, f"{side} code {code!r} is not a number"
            if number in NON_COUNTRY:
                return None, f"{side} {NON_COUNTRY[number]}", None
            found = COMTRADE_CODES.get(number) or self.m49.get(number)
            if found is None and iso in self.iso3:
                found = iso
            if found is None:
                return None, None, f"unknown {side} code {code}" + (f" ({iso})" if iso else "")
            if found not in self.iso3:
                return None, None, f"{side} " + self.unknown(found, f" (code {code})")
            return found, None, None
        if not iso:
            return None, None, f"{side} is missing"
        if iso in WORLD_ISO:
            return None, f"{side} World", None
        if iso in self.iso3:
            return iso, None, None
        if AREA_ISO.fullmatch(iso):
            return None, f"{side} area {iso}", None
        return None, None, f"{side} " + self.unknown(iso)


# ------------------------------------------------------------------------------------ records

@dataclass(slots=True)
class _Rec:
    line: int
    reporter: str
    partner: str
    year: int
    flow: str                 # "exports" | "imports"
    classification: str
    code: str                 # TOTAL or digits
    description: str
    value: Decimal            # US$ (Comtrade) or US$ million (DOTS)
    estimated: bool | None


@dataclass
class _Context:
    """What a layout's converter reads and fills in."""

    layout: Layout
    table: _Table
    where: dict[str, int]
    countries: _Countries
    years: tuple[int, int]
    records: list[_Rec] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    basis: str = ""   # how the annual values were made, for the source note

    def cell(self, cells: list[str], role: str) -> str:
        i = self.where.get(role)
        return cells[i].strip() if i is not None else ""

    def has(self, role: str) -> bool:
        return role in self.where

    def column(self, role: str) -> str:
        return self.table.header[self.where[role]]


def _number(text: str, column: str) -> tuple[Decimal | None, str | None]:
    if text == "":
        return None, f"{column} is empty"
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f'{column} "{text}" is not a number'
    if not value.is_finite():
        return None, f'{column} "{text}" is not a number'
    if value < 0:
        return None, f"{column} {text} is negative"
    return value, None


def _year(text: str, column: str, years: tuple[int, int]) -> tuple[int | None, str | None]:
    if text == "":
        return None, f"{column} is missing"
    if not re.fullmatch(r"\d{4}", text):
        return None, f'{column} "{text}" is not a year'
    year = int(text)
    if not years[0] <= year <= years[1]:
        return None, f"{column} {year} is outside {years[0]}-{years[1]}"
    return year, None


def _flag(text: str, column: str) -> tuple[bool | None, str | None]:
    folded = text.casefold()
    if folded in ("", "nan"):
        return None, None
    if folded in ("true", "1", "t", "yes"):
        return True, None
    if folded in ("false", "0", "f", "no"):
        return False, None
    return None, f'{column} "{text}" is not true or false'


PLUS_FLOWS = {"X": "exports", "M": "imports", "RX": None, "RM": None, "DX": None, "FM": None}
LEGACY_FLOW_CODES = {"2": "exports", "1": "imports", "3": None, "4": None}
LEGACY_FLOW_NAMES = {"export": "exports", "import": "imports", "re-export": None, "re-import": None,
                     "reexport": None, "reimport": None}
# Breakdown columns whose "all" value marks the row to keep (others would double count it).
ALL_VALUES = {"partner2_code": {"", "0"}, "customs_code": {"", "C00"}, "mot_code": {"", "0"}, "mos_code": {"", "0"}}


def _convert_comtrade(ctx: _Context) -> None:
    """Rows of the three Comtrade layouts -> records in US dollars."""
    plus = ctx.layout.name == "comtrade-plus"
    for line, cells in ctx.table.rows:
        bad: list[str] = []
        if ctx.has("type") and ctx.cell(cells, "type").upper() not in ("", "C"):
            ctx.skipped["services (typeCode S)"] += 1
            continue
        freq = ctx.cell(cells, "freq").upper()
        if freq not in ("", "A"):
            bad.append(f'{ctx.column("freq")} is "{freq}": only annual data (A) can be imported')
        breakdown = [r for r, ok in ALL_VALUES.items() if ctx.has(r) and ctx.cell(cells, r).upper() not in ok]
        if breakdown:
            ctx.skipped["breakdowns by " + "/".join(ctx.column(r) for r in breakdown) + " (their total row is kept)"] += 1
            continue

        year, err = _year(ctx.cell(cells, "year"), ctx.column("year"), ctx.years)
        if err:
            bad.append(err)
        period = ctx.cell(cells, "period")
        if period and year and period != str(year):
            bad.append(f'{ctx.column("period")} "{period}" is not the year {year}: only annual data can be imported')

        flow = None
        if ctx.has("flow_code") and ctx.cell(cells, "flow_code"):
            raw = ctx.cell(cells, "flow_code").upper()
            table = PLUS_FLOWS if plus else LEGACY_FLOW_CODES
            if raw not in table:
                bad.append(f'{ctx.column("flow_code")} "{raw}" is not one of {", ".join(table)}')
            flow = table.get(raw, "?")
        elif ctx.has("flow_text") and ctx.cell(cells, "flow_text"):
            raw = ctx.cell(cells, "flow_text").casefold()
            if raw not in LEGACY_FLOW_NAMES:
                bad.append(f'{ctx.column("flow_text")} "{ctx.cell(cells, "flow_text")}" is not Export, Import, Re-Export or Re-Import')
            flow = LEGACY_FLOW_NAMES.get(raw, "?")
        else:
            bad.append("trade flow is missing")
            flow = "?"

        reporter, skip_r, err_r = ctx.countries.resolve(
            "reporter", ctx.cell(cells, "reporter_iso"), ctx.cell(cells, "reporter_code"))
        partner, skip_p, err_p = ctx.countries.resolve(
            "partner", ctx.cell(cells, "partner_iso"), ctx.cell(cells, "partner_code"))
        bad += [e for e in (err_r, err_p) if e]

        code = ctx.cell(cells, "code")
        if code.upper() in ("TOTAL", "ALL"):
            code = TOTAL
        elif not re.fullmatch(r"[0-9]+", code):
            bad.append(f'{ctx.column("code")} "{code}" is neither TOTAL nor a numeric product code')
        value, err = _number(ctx.cell(cells, "value"), ctx.column("value"))
        if err:
            bad.append(err)
        estimated = False
        if plus:
            reported, err = _flag(ctx.cell(cells, "reported"), ctx.column("reported")) if ctx.has("reported") else (None, None)
            if err:
                bad.append(err)
            estimated = None if reported is None else not reported

        if bad:
            ctx.problems.append(RowProblem(line, "; ".join(bad)))
            continue
        if skip_r or skip_p:
            ctx.skipped[skip_r or skip_p] += 1
            continue
        if flow is None:
            ctx.skipped["re-exports, re-imports, DX/FM (already part of exports and imports)"] += 1
            continue
        if reporter == partner:
            ctx.skipped["a country trading with itself"] += 1
            continue
        classification = ctx.cell(cells, "classification").upper() or UNSPECIFIED
        ctx.records.append(_Rec(line, reporter, partner, year, flow, classification, code,
                                ctx.cell(cells, "description"), value, estimated))
    if not ctx.has("classification"):
        ctx.notes.append(f'the file has no Classification column: product rows are stored with classification "{UNSPECIFIED}"')


DOTS_FLOWS = {"exports_fob": "exports", "imports_cif": "imports"}


def _convert_dots(ctx: _Context) -> None:
    """Rows of a tidy IMF DOTS file -> records in US$ million (annual totals only)."""
    for line, cells in ctx.table.rows:
        bad: list[str] = []
        year, err = _year(ctx.cell(cells, "year"), ctx.column("year"), ctx.years)
        if err:
            bad.append(err)
        raw_flow = ctx.cell(cells, "flow")
        flow = DOTS_FLOWS.get(raw_flow.casefold())
        if flow is None:
            bad.append(f'{ctx.column("flow")} "{raw_flow}" is not exports_fob or imports_cif')
        value, err = _number(ctx.cell(cells, "value").replace(",", ""), ctx.column("value"))
        if err:
            bad.append(err)
        estimated, err = _flag(ctx.cell(cells, "estimated"), ctx.column("estimated"))
        if err:
            bad.append(err)
        sides = []
        for side in ("reporter", "partner"):
            iso = ctx.cell(cells, side + "_iso3").upper()
            if not iso:
                name = ctx.cell(cells, side)
                sides.append((None, f"{side} without ISO3 (IMF aggregates, unmapped areas)"
                              if name != "World" else f"{side} World"))
            elif iso in ctx.countries.iso3:
                sides.append((iso, None))
            else:
                sides.append((None, None))
                bad.append(f"{side} " + ctx.countries.unknown(iso))
        if bad:
            ctx.problems.append(RowProblem(line, "; ".join(bad)))
            continue
        (reporter, skip_r), (partner, skip_p) = sides
        if skip_r or skip_p:
            ctx.skipped[skip_r or skip_p] += 1
            continue
        if reporter == partner:
            ctx.skipped["a country trading with itself"] += 1
            continue
        ctx.records.append(_Rec(line, reporter, partner, year, flow, "", TOTAL, "", value, estimated))


register(Layout(
    name="comtrade-plus", title="UN Comtrade Plus download", publisher="UN Comtrade",
    url="https://comtradeplus.un.org", id_prefix="comtrade",
    columns={
        "year": ("refYear",), "period": ("period",), "freq": ("freqCode",), "type": ("typeCode",),
        "reporter_iso": ("reporterISO",), "reporter_code": ("reporterCode",),
        "partner_iso": ("partnerISO",), "partner_code": ("partnerCode",),
        "flow_code": ("flowCode",), "classification": ("classificationCode",),
        "code": ("cmdCode",), "description": ("cmdDesc",), "value": ("primaryValue",),
        "reported": ("isReported",), "partner2_code": ("partner2Code",),
        "customs_code": ("customsCode",), "mot_code": ("motCode",), "mos_code": ("mosCode",),
    },
    required=(("year",), ("reporter_iso", "reporter_code"), ("partner_iso", "partner_code"),
              ("flow_code",), ("code",), ("value",)),
    convert=_convert_comtrade,
))
register(Layout(
    name="comtrade-legacy", title="UN Comtrade legacy CSV export", publisher="UN Comtrade",
    url="https://comtradeplus.un.org", id_prefix="comtrade",
    columns={
        "year": ("Year",), "period": ("Period",),
        "reporter_iso": ("Reporter ISO",), "reporter_code": ("Reporter Code",),
        "partner_iso": ("Partner ISO",), "partner_code": ("Partner Code",),
        "flow_code": ("Trade Flow Code",), "flow_text": ("Trade Flow",),
        "classification": ("Classification",), "code": ("Commodity Code",),
        "description": ("Commodity",), "value": ("Trade Value (US$)",),
        "partner2_code": ("2nd Partner Code",), "customs_code": ("Customs Proc. Code",),
        "mot_code": ("Mode of Transport Code",),
    },
    required=(("year",), ("flow_code", "flow_text"), ("reporter_iso", "reporter_code"),
              ("partner_iso", "partner_code"), ("code",), ("value",)),
    convert=_convert_comtrade,
))
register(Layout(
    name="comtrade-bulk", title="UN Comtrade bulk CSV", publisher="UN Comtrade",
    url="https://comtradeplus.un.org", id_prefix="comtrade",
    columns={
        "year": ("Year",), "reporter_code": ("Reporter Code",), "flow_code": ("Trade Flow Code",),
        "partner_code": ("Partner Code",), "classification": ("Classification",),
        "code": ("Commodity Code",), "value": ("Value",),
    },
    required=(("year",), ("reporter_code",), ("flow_code",), ("partner_code",), ("code",), ("value",)),
    convert=_convert_comtrade,
))
register(Layout(
    name="imf-dots", title="IMF Direction of Trade Statistics (DOTS), tidy CSV",
    publisher="International Monetary Fund", url="https://data.imf.org", id_prefix="imf",
    columns={
        "reporter": ("reporter",), "reporter_iso3": ("reporter_iso3",),
        "partner": ("partner",), "partner_iso3": ("partner_iso3",), "year": ("year",),
        "flow": ("flow",), "value": ("value_usd_millions",), "estimated": ("estimated",),
    },
    required=(("reporter_iso3",), ("partner_iso3",), ("year",), ("flow",), ("value",)),
    convert=_convert_dots,
))


# ------------------------------------------------------------------------------------ totals

def _class_rank(classification: str) -> tuple:
    """Preferred classification first: HS before SITC before others, newest edition first."""
    kind = {"H": 0, "S": 1}.get(classification[:1], 2)
    edition = int(classification[1:]) if classification[1:].isdigit() else -1
    return kind, -edition, classification


def _dedupe(ctx: _Context) -> None:
    """Drop exact repeats; conflicting repeats are bad rows."""
    seen: dict[tuple, _Rec] = {}
    kept, repeats = [], 0
    for rec in ctx.records:
        key = (rec.reporter, rec.partner, rec.year, rec.flow, rec.classification, rec.code)
        first = seen.get(key)
        if first is None:
            seen[key] = rec
            kept.append(rec)
        elif first.value == rec.value:
            repeats += 1
        else:
            what = "product" if rec.code != TOTAL else "flow"
            ctx.problems.append(RowProblem(
                rec.line, f"same reporter, partner, year and {what} as line {first.line} but a different value "
                          f"({rec.value} vs {first.value})"))
    if repeats:
        ctx.notes.append(f"{repeats:,} exact repeats of earlier rows dropped")
    ctx.records = kept


def _totals(ctx: _Context, unit: Decimal) -> list[dict]:
    """Annual value per reporter, partner, year and flow: TOTAL row, else 2-digit sum."""
    groups: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(lambda: {"total": None, "chapters": []}))
    for rec in ctx.records:
        slot = groups[(rec.reporter, rec.partner, rec.year, rec.flow)][rec.classification]
        if rec.code == TOTAL:
            slot["total"] = rec
        elif len(rec.code) == 2:
            slot["chapters"].append(rec)
    basis, gaps, several, mismatches = Counter(), [], 0, []
    wide: dict[tuple, dict] = {}
    for (reporter, partner, year, flow), by_class in groups.items():
        usable = [c for c, s in by_class.items() if s["total"] or s["chapters"]]
        if not usable:
            gaps.append(f"{reporter}-{partner} {year} {flow}")
            continue
        if len(usable) > 1:
            several += 1
        chosen = min(usable, key=lambda c: (by_class[c]["total"] is None, _class_rank(c)))
        slot = by_class[chosen]
        chapters_sum = sum((r.value for r in slot["chapters"]), Decimal(0))
        if slot["total"] is not None:
            value, flags = slot["total"].value, [slot["total"].estimated]
            basis["a TOTAL row"] += 1
            if slot["chapters"] and value and abs(chapters_sum - value) > value / 200:
                mismatches.append(f"{reporter}-{partner} {year} {flow} ({chapters_sum / value - 1:+.1%})")
        else:
            value, flags = chapters_sum, [r.estimated for r in slot["chapters"]]
            basis["the sum of 2-digit codes"] += 1
        estimated = None if all(f is None for f in flags) else any(bool(f) for f in flags)
        row = wide.setdefault((reporter, partner, year), {
            "reporter": reporter, "partner": partner, "year": str(year),
            "exports_fob": "", "exports_estimated": "", "imports_cif": "", "imports_estimated": ""})
        column = "exports_fob" if flow == "exports" else "imports_cif"
        row[column] = _num_text(value / unit)
        row[flow + "_estimated"] = "" if estimated is None else ("true" if estimated else "false")
    if unit != 1:
        ctx.basis = "; ".join(f"{n:,} from {b}" for b, n in sorted(basis.items()))
        ctx.notes.append("annual flow values: " + ctx.basis)
    if several:
        ctx.notes.append(f"{several:,} flows appear in more than one classification; one was used for each "
                         "(TOTAL first, then HS before SITC, newest edition first)")
    if mismatches:
        ctx.notes.append("TOTAL differs from the sum of 2-digit codes by more than 0.5% for "
                         + _listing(mismatches, 5))
    if gaps:
        ctx.notes.append("no TOTAL row and no 2-digit rows, so no annual value, for " + _listing(gaps, 5))
    return list(wide.values())


def _num_text(value: Decimal) -> str:
    """A number as plain decimal text: no exponent, no trailing zeros."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


def _listing(items: list, limit: int) -> str:
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


def _sort(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame.reset_index(drop=True)
    keyed = frame.assign(_year=frame["year"].astype(int))
    by = ["_year" if c == "year" else c for c in order]
    return keyed.sort_values(by, kind="mergesort").drop(columns="_year").reset_index(drop=True)


# ------------------------------------------------------------------------------------ read

def _source_id(layout: Layout, path: Path, digest: str) -> str:
    stem = path.name
    for suffix in (".gz", ".csv", ".txt", ".tsv"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40].strip("-") or "file"
    base = slug if slug == layout.id_prefix or slug.startswith(layout.id_prefix + "-") else f"{layout.id_prefix}-{slug}"
    return f"{base}-{digest[:8]}"


def read(path: str | os.PathLike, *, package_dir: str | os.PathLike | None = None,
         layout: str | None = None, accessed: str | None = None, strict: bool = True) -> Imported:
    """Read a trade file into the package's shapes; nothing is written.

    `package_dir`: check countries against that package's countries table (default: pycountry
    plus the package's historical codes). `layout`: a LAYOUTS name instead of detecting it.
    `accessed`: YYYY-MM-DD for the source row (default today). With `strict` (the default) a file
    with bad rows raises BadRows; otherwise they are returned in `problems`, and the tables hold
    the good rows only.
    """
    path = Path(path)
    package = _Package.open(package_dir) if package_dir is not None else None
    return _read(path, package, layout, accessed, strict)


def _read(path: Path, package: "_Package | None", layout_name: str | None,
          accessed: str | None, strict: bool) -> Imported:
    accessed = _accessed(accessed)
    data = _load_bytes(path)
    text, encoding = _decode(data, path.name)
    table = _parse(text, encoding, path.name)
    if layout_name:
        layout = get(layout_name)
        if not layout.matches(table.header):
            raise UnknownLayout(
                f"{path.name} is not a {layout.name} file: it lacks {', '.join(layout.missing(table.header))} "
                f"(columns found: {', '.join(table.header)})", table.header)
    else:
        layout = detect(table.header, path.name)
    if package is not None:
        countries, years = package.countries(), package.year_range()
    else:
        countries, years = _Countries(), (1948, 2030)
    ctx = _Context(layout, table, layout.find(table.header), countries, years)
    ctx.problems.extend(table.problems)
    layout.convert(ctx)
    _dedupe(ctx)
    problems = tuple(sorted(ctx.problems, key=lambda p: p.line))
    if problems and strict:
        raise BadRows(_bad_rows_message(path.name, problems), problems)
    if not table.rows:
        raise TradeFileError(f"{path.name} has a {layout.name} header but no data rows")

    is_dots = layout.convert is _convert_dots
    digest = hashlib.sha256(data).hexdigest()
    source_id = _source_id(layout, path, digest)
    totals = pd.DataFrame(_totals(ctx, Decimal(1) if is_dots else MILLION),
                          columns=TRADE_COLUMNS[:-1], dtype=object)
    totals["source"] = source_id
    products = pd.DataFrame(
        [{"reporter": r.reporter, "partner": r.partner, "year": str(r.year), "flow": r.flow,
          "classification": r.classification, "code": r.code, "description": r.description,
          "value_usd": _num_text(r.value), "source": source_id}
         for r in ctx.records if r.code != TOTAL],
        columns=PRODUCT_COLUMNS, dtype=object)
    totals, products = _sort(totals[TRADE_COLUMNS], TRADE_ORDER), _sort(products, PRODUCT_ORDER)
    if totals.empty and products.empty and not problems:
        raise TradeFileError(
            f"{path.name} ({layout.name}) has no bilateral country rows to import: "
            + (_skips(ctx.skipped) or "every row was left out"))

    notes = ([f"read as {encoding} (the file is not UTF-8)"] if encoding != "utf-8" else []) + ctx.notes
    if ctx.skipped:
        notes.append("left out: " + _skips(ctx.skipped))
    years_seen = sorted({int(y) for y in totals["year"]} | {int(y) for y in products["year"]})
    span = _span(years_seen)
    levels = sorted({len(c) for c in products["code"]})
    note = (f"Imported with briefkit from {path.name} ({layout.name} layout, sha256 {digest[:16]}): "
            f"{len(table.rows):,} data rows, {span}; {len(totals):,} reporter-partner-year rows in trade "
            f"(US$ million{'; annual flow values: ' + ctx.basis if ctx.basis else ''})"
            + (f", {len(products):,} product rows in trade_products "
               f"({'/'.join(map(str, levels))}-digit codes)" if len(products) else "")
            + ".")
    source = {
        "id": source_id, "kind": "dataset", "title": f"{layout.title} ({layout.name} layout): {path.name}",
        "author": "", "publisher": layout.publisher, "published": "", "accessed": accessed,
        "url": layout.url, "note": note,
    }
    return Imported(path=path, layout=layout.name, totals=totals, products=products, source=source,
                    problems=problems, notes=tuple(notes), rows_read=len(table.rows))


def _span(years: list[int]) -> str:
    if not years:
        return "no years"
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def _skips(skipped: Counter) -> str:
    return "; ".join(f"{what} ({n:,} {_plural(n, 'row')})" for what, n in skipped.most_common())


def _accessed(value: str | None) -> str:
    if value is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(f'accessed date "{value}" is not a date such as 2026-01-31') from None


def _bad_rows_message(name: str, problems: tuple[RowProblem, ...]) -> str:
    n = len(problems)
    shown = "; ".join(str(p) for p in problems[:MAX_LISTED])
    more = f"; ... and {n - MAX_LISTED:,} more" if n > MAX_LISTED else ""
    rows = "row" if n == 1 else "rows"
    return (f"{name}: {n:,} bad {rows}, so nothing was imported. {shown}{more}. "
            "Fix or remove these rows, then import the file again.")


# ------------------------------------------------------------------------------------ the package

@dataclass
class _Package:
    directory: Path
    resources: dict[str, dict]
    _texts: dict[str, str] = field(default_factory=dict)

    NEEDED = ("sources", "countries", "trade", "trade_products")

    @classmethod
    def open(cls, location: str | os.PathLike | None) -> "_Package":
        if location is None:
            from .datapackage import default_location
            location = default_location()
        path = Path(location)
        if path.is_dir():
            path = path / "datapackage.json"
        if not path.exists():
            raise DataPackageError(f"No data package at {path}: pass the folder holding datapackage.json")
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataPackageError(f"{path} is not a readable datapackage.json: {exc}") from None
        resources = {r.get("name"): r for r in descriptor.get("resources", [])}
        missing = [n for n in cls.NEEDED if n not in resources]
        if missing:
            raise DataPackageError(
                f"The data package {path.parent} has no {', '.join(missing)} resource: a trade import "
                f"needs {', '.join(cls.NEEDED)}")
        return cls(path.parent, resources)

    def path(self, name: str) -> Path:
        return self.directory / self.resources[name]["path"]

    def schema(self, name: str) -> dict:
        try:
            return load_schema(self.directory, self.resources[name])
        except TableError as exc:
            raise DataPackageError(str(exc.problem)) from None

    def compressed(self, name: str) -> bool:
        return self.resources[name].get("compression") in ("gz", "gzip") or self.path(name).suffix == ".gz"

    def encoding(self, name: str) -> str:
        return self.resources[name].get("encoding") or "utf-8"

    def text(self, name: str) -> str:
        """The resource file's text (decompressed), read once."""
        if name not in self._texts:
            path = self.path(name)
            try:
                data = path.read_bytes()
                if self.compressed(name):
                    data = gzip.decompress(data)
                self._texts[name] = data.decode(self.encoding(name))
            except (OSError, EOFError, ValueError, zlib.error) as exc:
                raise DataPackageError(f"{path} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
        return self._texts[name]

    def frame(self, name: str, columns: list[str]) -> pd.DataFrame:
        frame = pd.read_csv(io.StringIO(self.text(name)), dtype=str, keep_default_na=False, index_col=False)
        if list(frame.columns) != columns:
            raise DataPackageError(
                f"{self.path(name)} has columns {', '.join(frame.columns)}; expected {', '.join(columns)}")
        return frame.astype(object)

    def countries(self) -> _Countries:
        rows = list(csv.DictReader(io.StringIO(self.text("countries"), newline="")))
        m49 = {int(r["m49"]): r["iso3"] for r in rows if (r.get("m49") or "").isdigit()}
        return _Countries({r["iso3"] for r in rows}, m49)

    def year_range(self) -> tuple[int, int]:
        fields = {f["name"]: f for f in self.schema("trade")["fields"]}
        limits = fields.get("year", {}).get("constraints", {})
        return int(limits.get("minimum", 1900)), int(limits.get("maximum", 2100))


def _records(text: str) -> list[tuple[list[str], str]]:
    """CSV records with the exact text each came from, so untouched rows are written back as they were."""
    lines = io.StringIO(text, newline="")
    consumed: list[str] = []

    def feed() -> Iterable[str]:
        for line in lines:
            consumed.append(line)
            yield line

    out = []
    for cells in csv.reader(feed()):
        out.append((cells, "".join(consumed)))
        consumed.clear()
    return out


def _csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _gzip_bytes(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(data)
    return out.getvalue()


def _check_new_rows(imported: Imported, package: _Package, source_ids: list[str]) -> None:
    """The new rows against the package's schemas and foreign keys; raise before anything is written."""
    schemas = {name: package.schema(name) for name in ("trade", "trade_products", "sources")}
    found = []
    typed = {}
    for name, frame in (("trade", imported.totals), ("trade_products", imported.products),
                        ("sources", pd.DataFrame([imported.source], columns=SOURCE_COLUMNS, dtype=object))):
        typed[name], problems = check_table(frame, schemas[name], name)
        found += problems
    countries = package.countries()
    typed["countries"] = pd.DataFrame({"iso3": pd.array(sorted(countries.iso3), dtype="string")})
    typed["sources"] = pd.DataFrame({"id": pd.array(source_ids, dtype="string")})
    found += check_foreign_keys(typed, {"trade": schemas["trade"], "trade_products": schemas["trade_products"]})
    if found:
        shown = "; ".join(str(p) for p in found[:MAX_LISTED])
        more = f"; ... and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
        raise DataPackageError(
            f"{imported.path.name}: the rows made from it do not fit the package's schemas, so nothing was "
            f"written: {shown}{more}")


def import_file(path: str | os.PathLike, package_dir: str | os.PathLike | None = None, *,
                dry_run: bool = False, accessed: str | None = None, layout: str | None = None) -> Imported:
    """Read `path` and merge it into the package at `package_dir` (default: the shared package).

    Adds (or, for a file imported before, replaces) its rows in trade and trade_products and its
    row in sources. All or nothing: every check runs first, then each changed file is written to a
    temporary name and renamed into place. `dry_run` does everything but the writing. Returns the
    Imported with `outcome` filled in.
    """
    package = _Package.open(package_dir)
    imported = _read(Path(path), package, layout, accessed, strict=True)
    source_id = imported.source["id"]

    # sources.csv: replace this file's row (same id) or append one; other rows keep their bytes.
    source_text = package.text("sources")
    records = _records(source_text)
    if not records or [c.strip() for c in records[0][0]] != SOURCE_COLUMNS:
        raise DataPackageError(f"{package.path('sources')} does not start with the header {','.join(SOURCE_COLUMNS)}")
    kept = [records[0]] + [r for r in records[1:] if not (r[0] and r[0][0] == source_id)]
    source_replaced = len(kept) != len(records)
    other_ids = [r[0][0] for r in kept[1:] if r[0]]
    base = source_id.rsplit("-", 1)[0]
    older = tuple(i for i in other_ids if re.fullmatch(re.escape(base) + r"-[0-9a-f]{8}", i))
    _check_new_rows(imported, package, other_ids + [source_id])

    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([imported.source[c] for c in SOURCE_COLUMNS])
    body = "".join(raw for _, raw in kept)
    if body and not body.endswith(("\n", "\r")):
        body += "\n"
    new_sources = body + line.getvalue()

    trade = package.frame("trade", TRADE_COLUMNS)
    mine = trade["source"] == source_id
    others = trade[~mine]
    keys = set(zip(others["reporter"], others["partner"], others["year"]))
    overlapping = sum(k in keys for k in zip(imported.totals["reporter"], imported.totals["partner"], imported.totals["year"]))
    new_trade = _sort(pd.concat([others, imported.totals], ignore_index=True), TRADE_ORDER)

    products = package.frame("trade_products", PRODUCT_COLUMNS)
    mine_p = products["source"] == source_id
    new_products = _sort(pd.concat([products[~mine_p], imported.products], ignore_index=True), PRODUCT_ORDER)

    texts = {  # sources first: a new source row on its own leaves the package valid
        "sources": new_sources,
        "trade_products": _csv_text(new_products),
        "trade": _csv_text(new_trade),
    }
    changed = [name for name, text in texts.items() if text != package.text(name)]
    written: list[str] = []
    if not dry_run and changed:
        temps: list[tuple[Path, Path]] = []
        try:
            for name in changed:
                data = texts[name].encode(package.encoding(name))
                if package.compressed(name):
                    data = _gzip_bytes(data)
                target = package.path(name)
                temp = target.with_name(f".{target.name}.import-{os.getpid()}.tmp")
                temps.append((temp, target))
                temp.write_bytes(data)
            for temp, target in temps:
                os.replace(temp, target)
                written.append(target.name)
        except OSError as exc:
            state = (f"only {', '.join(written)} had been replaced; import the file again to finish"
                     if written else "nothing was changed")
            raise DataPackageError(f"Cannot write to the data package {package.directory}: {exc}; {state}") from None
        finally:
            for temp, _ in temps:
                temp.unlink(missing_ok=True)

    outcome = Outcome(
        package_dir=package.directory, dry_run=dry_run,
        trade_added=len(imported.totals), trade_replaced=int(mine.sum()),
        products_added=len(imported.products), products_replaced=int(mine_p.sum()),
        source_replaced=source_replaced, overlapping=overlapping, older_versions=older,
        changed=tuple(package.path(n).name for n in changed), written=tuple(written))
    return replace(imported, outcome=outcome)


# ------------------------------------------------------------------------------------ report

def summary(imported: Imported) -> str:
    """One paragraph for the command line: layout, rows, years, reporters, what changed."""
    span = _span(imported.years)
    reporters, partners = imported.reporters, imported.partners
    parts = [
        f"{imported.path.name}: {imported.layout} layout, {imported.rows_read:,} data rows, {span}; "
        f"reporters {_listing(reporters, 8)}; partners {_listing(partners, 8)}.",
        f"{len(imported.totals):,} annual {_plural(len(imported.totals), 'row')} for trade (US$ million)"
        + (f" and {len(imported.products):,} product rows for trade_products (US$)" if len(imported.products) else "")
        + f", source {imported.source['id']}.",
    ]
    parts += [note[0].upper() + note[1:] + "." for note in imported.notes]
    if imported.problems:
        parts.append(f"{len(imported.problems):,} bad rows: " + "; ".join(str(p) for p in imported.problems[:MAX_LISTED]) + ".")
    out = imported.outcome
    if out is not None:
        if out.source_replaced or out.trade_replaced or out.products_replaced:
            verb = "Would replace" if out.dry_run else "Replaced"
            parts.append(f"{verb} the earlier import of this file ({out.trade_replaced:,} trade rows, "
                         f"{out.products_replaced:,} product rows).")
        else:
            verb = "Would add" if out.dry_run else "Added"
            parts.append(f"{verb} source {imported.source['id']} to sources.csv.")
        if out.overlapping:
            parts.append(f"{out.overlapping:,} of the trade rows have a reporter, partner and year that another "
                         "source also covers; both are kept.")
        if out.older_versions:
            parts.append(f"Another version of this file is still imported as {', '.join(out.older_versions)}.")
        if out.dry_run:
            would = f"; an import would rewrite {', '.join(out.changed)}" if out.changed else ""
            parts.append(f"Dry run: nothing was written to {out.package_dir}{would}.")
        elif out.written:
            parts.append(f"Wrote {', '.join(out.written)} in {out.package_dir}.")
        else:
            parts.append(f"Nothing changed in {out.package_dir}: the package already held these rows.")
    return " ".join(parts)
