"""File layouts: which header names play which role, a registry of them, and detection from a header.

A layout is registered by the module that converts its rows (comtrade.py, dots.py); `detect`
tries them in registration order. The required sets exclude each other ("Trade Value (US$)" vs
"Value", "refYear" vs "Year"), so a header matches at most one layout.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..errors import UsageError
from .results import UnknownLayout

if TYPE_CHECKING:
    from .records import Context


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
    convert: Callable[["Context"], None]
    unit: int = 1                           # values in the file are US$ / unit (1e6 for DOTS' millions)
    terms: str = ""                         # the data's terms of use, for the source row's note

    def find(self, header: list[str]) -> dict[str, int]:
        """Role -> column index, for the roles this header has."""
        where = {norm(name): i for i, name in reversed(list(enumerate(header)))}
        found = {}
        for role, names in self.columns.items():
            for name in names:
                if norm(name) in where:
                    found[role] = where[norm(name)]
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
    header = clean_header(header)
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


def norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def clean_header(header: list[str]) -> list[str]:
    header = [h.replace("\ufeff", "").strip() for h in header]
    while header and header[-1] == "":
        header.pop()  # a trailing delimiter
    return header
