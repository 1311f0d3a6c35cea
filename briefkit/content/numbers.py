"""How numbers, dates and counts are printed in a brief (house style).

Rounding comes first and the unit is chosen from the rounded value, so 999.96 million prints as
"US$1 billion", never "US$1,000 million".
"""
from __future__ import annotations

import pandas as pd

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def usd_million(value: float) -> str:
    """50.2 → US$50.2 million; 999.96 → US$1 billion; 0.35 → US$350 thousand; 0.0004 → less than US$1 thousand."""
    value = abs(float(value))
    if round(value, 1) >= 1000:
        return f"US${_trim(f'{round(value / 1000, 2):,.2f}')} billion"
    if round(value * 1000) >= 1000:
        return f"US${_trim(f'{round(value, 1):,.1f}')} million"
    thousands = round(value * 1000)
    if thousands < 1:
        return "less than US$1 thousand"
    return f"US${thousands:,.0f} thousand"


def tiv_million(value: float) -> str:
    """SIPRI trend-indicator values: a volume measure, printed without a currency sign."""
    value = abs(float(value))
    if round(value) >= 1:
        return f"{value:,.0f} million TIV"
    return "less than 1 million TIV"


def percent(value: float) -> str:
    """12.34 → 12%; 0.43 → 0.4%; 0.04 → less than 0.1%."""
    value = abs(float(value))
    if round(value, 1) >= 10:
        return f"{value:.0f}%"
    if round(value, 1) >= 0.1:
        return f"{_trim(f'{value:.1f}')}%"
    return "less than 0.1%"


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


def long_date(value) -> str:
    """2023-07-27 → July 27, 2023."""
    ts = pd.Timestamp(value)
    return f"{ts:%B} {ts.day}, {ts.year}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def spelled(n: int) -> str:
    """House style spells out numbers up to ten: 2 → two; 12 → 12."""
    return SMALL[n] if 0 <= n <= 10 else f"{n:,}"


def counted(n: int, one: str, many: str) -> str:
    """3, "visit", "visits" → "three visits"."""
    return f"{spelled(n)} {one if n == 1 else many}"


def listed(items: list[str], conjunction: str = "and") -> str:
    """['a', 'b', 'c'] → 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def statement(value: float, unit: str) -> str:
    """A figure as a source states it: US$ amounts, percentages, ratios."""
    value = float(value)
    if unit == "usd_million":
        return usd_million(value)
    if unit == "percent":
        return f"{value:g}%"
    return f"{value:g} times"
