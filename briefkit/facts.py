"""Figures derived from a pair's data, and the values that prose placeholders stand for.

Every value carries the ids of the source rows it was computed from, so the brief can footnote it.
Placeholders in analyst prose look like ``{{ kind:arg:arg }}``; RESOLVERS maps each kind to a
function of (Facts, args) → Value.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .datapackage import PairData
from .errors import DataPackageError

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass(frozen=True)
class Value:
    """A number or date as printed, with the source ids behind it."""

    text: str
    sources: tuple[str, ...]


# ---- formatting ----------------------------------------------------------------------------------

def usd_million(value: float) -> str:
    """50.2 → US$50.2 million; 1000 → US$1 billion; 0.35 → US$350 thousand."""
    if value >= 1000:
        return f"US${_trim(f'{value / 1000:,.2f}')} billion"
    if value >= 1:
        return f"US${_trim(f'{value:,.1f}')} million"
    return f"US${value * 1000:,.0f} thousand"


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def event_date(text: str) -> str:
    """'1994-02-03' → February 3, 1994; '2014-07' → July 2014; '2015' → 2015."""
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_statement(row: pd.Series) -> str:
    unit, value = row["unit"], float(row["value"])
    if unit == "usd_million":
        return usd_million(value)
    if unit == "percent":
        return f"{value:g}%"
    return f"{value:g} times"


# ---- facts of a pair -----------------------------------------------------------------------------

class Facts:
    """Derived figures of one pair, computed from its PairData."""

    def __init__(self, pair: PairData, as_of: dt.date | None = None):
        self.pair = pair
        self.a, self.b = pair.codes
        self.as_of = as_of or dt.date.today()

    def trade_by_year(self, reporter: str) -> pd.DataFrame:
        """Trade of the pair as `reporter` reports it: year, exports, imports, total, balance, estimated.

        exports = reporter's exports to the other side; balance = exports - imports.
        """
        other = self.b if reporter == self.a else self.a
        t = self.pair.trade
        rows = t[(t["reporter"] == reporter) & (t["partner"] == other)].sort_values("year")
        out = pd.DataFrame({
            "year": rows["year"].astype(int).to_numpy(),
            "exports": rows["exports_fob"].astype(float).to_numpy(),
            "imports": rows["imports_cif"].astype(float).to_numpy(),
            "estimated": (rows["exports_estimated"].fillna(False).astype(bool)
                          | rows["imports_estimated"].fillna(False).astype(bool)).to_numpy(),
            "source": rows["source"].to_numpy(),
        })
        out["total"] = out["exports"].fillna(0) + out["imports"].fillna(0)
        out.loc[out["exports"].isna() & out["imports"].isna(), "total"] = float("nan")
        out["balance"] = out["exports"] - out["imports"]
        return out

    def trade_total(self, year: int, reporter: str) -> Value:
        table = self.trade_by_year(reporter)
        row = table[table["year"] == year]
        if row.empty or pd.isna(row["total"].iloc[0]):
            years = table.dropna(subset=["total"])["year"]
            span = f"{years.min()}-{years.max()}" if len(years) else "no years"
            raise DataPackageError(
                f"No trade reported by {reporter} with {self._other(reporter)} for {year} "
                f"(the trade table has {span})")
        row = row.iloc[0]
        text = usd_million(row["total"])
        if row["estimated"]:
            text += " (an IMF estimate)"
        return Value(text, (row["source"],))

    def _other(self, code: str) -> str:
        return self.b if code == self.a else self.a

    def pair_events(self, kind: str | None = None) -> pd.DataFrame:
        ev = self.pair.events
        both = ev["country_a"].isin([self.a, self.b]) & ev["country_b"].isin([self.a, self.b])
        ev = ev[both]
        if kind:
            ev = ev[ev["kind"] == kind]
        return ev.sort_values(["date", "id"])

    def event(self, event_id: str) -> pd.Series:
        return _row(self.pair.events, event_id, "events")

    def statement(self, statement_id: str) -> pd.Series:
        return _row(self.pair.statements, statement_id, "statements")


def _row(table: pd.DataFrame, row_id: str, name: str) -> pd.Series:
    match = table[table["id"] == row_id]
    if match.empty:
        close = difflib.get_close_matches(row_id, list(table["id"]), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise DataPackageError(f'No row "{row_id}" in {name}.csv for this pair{hint}')
    return match.iloc[0]


# ---- placeholders --------------------------------------------------------------------------------

def _event(facts: Facts, args: list[str]) -> Value:
    row = facts.event(args[0])
    return Value(event_date(row["date"]), (row["source"],))


def _anniversary(facts: Facts, args: list[str]) -> Value:
    row = facts.event(args[0])
    start = int(str(row["date"])[:4])
    return Value(ordinal(facts.as_of.year - start), (row["source"],))


def _statement(facts: Facts, args: list[str]) -> Value:
    row = facts.statement(args[0])
    return Value(format_statement(row), (row["source"],))


def _trade(facts: Facts, args: list[str]) -> Value:
    if len(args) != 3 or args[0] != "total":
        raise DataPackageError(f"trade placeholders read {{{{ trade:total:YEAR:ISO3 }}}}, not trade:{':'.join(args)}")
    return facts.trade_total(int(args[1]), args[2])


RESOLVERS: dict[str, Callable[[Facts, list[str]], Value]] = {
    "event": _event,
    "anniversary": _anniversary,
    "statement": _statement,
    "trade": _trade,
}


def resolve(facts: Facts, placeholder: str) -> Value:
    """'statement:pak-blr-2019-trade' → Value('US$50.2 million', ('blr-emb-pak-trade',))."""
    kind, *args = [p.strip() for p in placeholder.split(":")]
    if kind not in RESOLVERS:
        close = difflib.get_close_matches(kind, list(RESOLVERS), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise DataPackageError(
            f'Unknown placeholder kind "{kind}" in {{{{ {placeholder} }}}}{hint}; known: {", ".join(RESOLVERS)}')
    return RESOLVERS[kind](facts, args)
