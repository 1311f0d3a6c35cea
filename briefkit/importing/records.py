"""Rows as records: country codes resolved to ISO3, numbers, years and flags parsed, and the
context a layout's converter fills in (records, bad rows, rows left out and why, notes).

Countries: Comtrade numeric codes are M49 codes except where Comtrade keeps its own
(`COMTRADE_CODES`: 699 India, 842 USA, 251 France, 757 Switzerland, ...); otherwise the package's
countries.m49 column (or pycountry, when reading without a package). An ISO3 column is used when a
row has no numeric code. The partner World (code 0, WLD, W00) is resolved to `WORLD`: its rows
feed the reporter's trade with the world (trade_totals), never a bilateral row.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pycountry

from .decoding import Table
from .layouts import Layout
from .results import RowProblem

TOTAL = "TOTAL"
UNSPECIFIED = "unspecified"  # classification of product rows from a file without one
WORLD = "World"              # partner of a reporter's trade with the world

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
    97: "EU-27", 58: "Belgium-Luxembourg", 80: "British Antarctic Territory",
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


class Countries:
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
        """(iso3 or WORLD, skip reason, problem) for one side of a row; exactly one is set."""
        iso, code = iso.strip().upper(), code.strip()
        if code:
            try:
                numeric = int(code)
            except ValueError:
                return None, None, f"{side} code {code!r} is not a number"
            if numeric == 0:
                return WORLD, None, None
            if numeric in NON_COUNTRY:
                return None, f"{side} {NON_COUNTRY[numeric]}", None
            found = COMTRADE_CODES.get(numeric) or self.m49.get(numeric)
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
            return WORLD, None, None
        if iso in self.iso3:
            return iso, None, None
        if AREA_ISO.fullmatch(iso):
            return None, f"{side} area {iso}", None
        return None, None, f"{side} " + self.unknown(iso)


@dataclass(slots=True)
class Rec:
    line: int
    reporter: str
    partner: str              # ISO3, or WORLD for the reporter's trade with the world
    year: int
    flow: str                 # "exports" | "imports"
    classification: str
    code: str                 # TOTAL or digits
    description: str
    value: Decimal            # US$ (Comtrade) or US$ million (DOTS)
    estimated: bool | None


@dataclass
class Context:
    """What a layout's converter reads and fills in."""

    layout: Layout
    table: Table
    where: dict[str, int]
    countries: Countries
    years: tuple[int, int]
    records: list[Rec] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    basis: str = ""   # how the annual values were made, for the source note
    not_reported: int = 0      # Comtrade Plus rows with isReported = false (kept; see comtrade.py)
    padded: Counter = field(default_factory=Counter)   # product codes given their leading zero back
    unclear: int = 0           # one-digit codes of a file that does not say HS or SITC: not counted

    def cell(self, cells: list[str], role: str) -> str:
        i = self.where.get(role)
        return cells[i].strip() if i is not None else ""

    def has(self, role: str) -> bool:
        return role in self.where

    def column(self, role: str) -> str:
        return self.table.header[self.where[role]]


def number(text: str, column: str) -> tuple[Decimal | None, str | None]:
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


def year(text: str, column: str, years: tuple[int, int]) -> tuple[int | None, str | None]:
    if text == "":
        return None, f"{column} is missing"
    if not re.fullmatch(r"\d{4}", text):
        return None, f'{column} "{text}" is not a year'
    year = int(text)
    if not years[0] <= year <= years[1]:
        return None, f"{column} {year} is outside {years[0]}-{years[1]}"
    return year, None


def flag(text: str, column: str) -> tuple[bool | None, str | None]:
    folded = text.casefold()
    if folded in ("", "nan"):
        return None, None
    if folded in ("true", "1", "t", "yes"):
        return True, None
    if folded in ("false", "0", "f", "no"):
        return False, None
    return None, f'{column} "{text}" is not true or false'

