"""Analyst prose: `## Title {#id}` sections, and the placeholders filled from the package.

    {{ event:ID }}                 the date of an event
    {{ anniversary:ID }}           "30th": whole years from the event to the brief's date
    {{ statement:ID }}             a figure a source states, with its unit
    {{ trade:total:YEAR:ISO3 }}    total (exports, imports) of the pair in YEAR as ISO3 reports it
    {{ change:START:END:ISO3 }}    "up 12%": the change in ISO3's total between two years
    {{ favours:YEAR }}             the side the balance favours, only where both reporters agree
    {{ ref:figure:NAME }}          "Figure 2": the number of a figure (or ref:table:NAME)
    {{ figure:NAME }}, {{ table:NAME }}   a numbered figure or table, on a line of its own
    [@source-id]                   a footnote to a row of sources.csv
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..errors import DataPackageError, did_you_mean
from . import numbers
from .guards import Checks
from .notes import Ref
from .sections import BY_ID
from .values import Pointer, Value

SECTIONS = tuple(BY_ID)   # the section ids, in house order
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}|[ \t]*\[@([A-Za-z0-9][A-Za-z0-9_-]*)\]")  # a citation hugs the word before it
HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[a-z]+)\}\s*$", re.M)
WHOLE_LINE = re.compile(r"\{\{\s*(figure|table):([a-z_]+)\s*\}\}")


@dataclass(frozen=True)
class ProseSection:
    id: str
    title: str
    body: str   # Markdown with placeholders
    line: int   # where it starts in the prose file, for messages


def parse_prose(text: str | None) -> dict[str, ProseSection]:
    """Split analyst Markdown into sections by their `## Title {#id}` headings."""
    if not text:
        return {}
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = text.replace("\ue000", "").replace("\ue001", "")   # the characters briefkit uses as markers
    found = list(HEADING.finditer(text))
    sections = {}
    for i, m in enumerate(found):
        line = text.count("\n", 0, m.start()) + 1
        if m.group("id") not in SECTIONS:
            hint = did_you_mean(m.group("id"), SECTIONS)
            raise DataPackageError(
                f'Prose section "{m.group("id")}" (line {line}) is not a brief section{hint}; '
                f'use one of: {", ".join(SECTIONS)}')
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        sections[m.group("id")] = ProseSection(m.group("id"), m.group("title"), text[m.end():end].strip(), line)
    return sections


def _event(f, args):
    return f.event_value(f.event(args[0]))


def _anniversary(f, args):
    row = f.event(args[0])
    years = f.as_of.year - int(str(row["date"])[:4])
    return Value(numbers.ordinal(years), (Ref(str(row["source"])),), number=years, unit="years", measure="anniversary",
                 year=f.as_of.year, rows=f.event_value(row).rows)


def _statement(f, args):
    return f.statement_value(f.statement(args[0]))


def _code(f, text: str) -> str:
    if text not in (f.a, f.b):
        raise DataPackageError(f'"{text}" is not one of this brief\'s countries ({f.a}, {f.b})')
    return text


def _trade(f, args):
    if len(args) != 3 or args[0] not in ("total", "exports", "imports"):
        raise DataPackageError(
            f"trade placeholders read {{{{ trade:total|exports|imports:YEAR:ISO3 }}}}, not trade:{':'.join(args)}")
    return f.value(_code(f, args[2]), int(args[1]), args[0])


def _change(f, args):
    if len(args) != 3:
        raise DataPackageError(f"change placeholders read {{{{ change:START:END:ISO3 }}}}, not change:{':'.join(args)}")
    value = f.change(_code(f, args[2]), int(args[0]), int(args[1]))
    if value is None:
        raise DataPackageError(f"No change can be stated for {args[2]} between {args[0]} and {args[1]}: "
                               "a year is missing or trade is negligible")
    return value


def _favours(f, args):
    year = int(args[0])
    if not Checks(f)("balance_agrees", year):
        views = ", ".join(f"{c} reports a balance of {f.number(c, year, 'balance')}" for c in (f.a, f.b))
        raise DataPackageError(f"{{{{ favours:{year} }}}}: the two reporters do not agree on the balance ({views}); "
                               "say who reports what instead")
    side = f.a if f.number(f.a, year, "balance") > 0 else f.b
    rows = tuple(r for c in (f.a, f.b) for r in f.value(c, year, "balance").rows)
    return Value(f.names[side], tuple(f.trade_ref(c, year, "balance") for c in (f.a, f.b)), unit="country",
                 measure="balance_favours", year=year, reporter=side, rows=rows)


def _ref(f, args):
    if len(args) != 2 or args[0] not in ("figure", "table"):
        raise DataPackageError(f"ref placeholders read {{{{ ref:figure:NAME }}}} or {{{{ ref:table:NAME }}}}")
    return Pointer(args[0], args[1])


RESOLVERS: dict[str, Callable] = {
    "event": _event, "anniversary": _anniversary, "statement": _statement, "trade": _trade,
    "change": _change, "favours": _favours, "ref": _ref,
}


def resolve(f, placeholder: str):
    """'statement:pak-blr-2019-trade' → Value('US$50.2 million', …)."""
    kind, *args = [p.strip() for p in placeholder.split(":")]
    if kind not in RESOLVERS:
        hint = did_you_mean(kind, list(RESOLVERS))
        raise DataPackageError(
            f'Unknown placeholder kind "{kind}" in {{{{ {placeholder} }}}}{hint}; known: {", ".join(RESOLVERS)}')
    return RESOLVERS[kind](f, args)
