"""Sources → footnotes in the house citation form, numbered continuously across a brief.

    "Title", Publisher, published on Month D, YYYY. URL     (a dated source)
    "Title", Publisher, accessed on Month D, YYYY. URL      (a database or an undated page)

With an author: Author, "Title", Publisher, published on ...

A note is made once for each source row cited (the same source and the same row detail): a second
call of it reuses its number, as a reviewer's "see note 4". Calls of one source for different rows
(two years of a trade series) are separate notes, because each names the row it stands for; after
the first, they take the short form ("Title"; the row.), as a repeated source does in print.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..errors import DataPackageError
from .numbers import long_date


def present(value) -> bool:
    """A cell with something in it: not missing, not empty."""
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and str(value).strip() != ""


def citation(source: pd.Series, detail: str = "", short: bool = False) -> str:
    """The house form of one source row (plain text); `detail` names the row used, before the URL.
    `short`: the source was cited in full before, so its title and the row are enough."""
    if short:
        return f'"{source["title"]}"; {detail}.' if detail else f'"{source["title"]}".'
    parts = []
    if present(source.get("author")):
        parts.append(f'{source["author"]}, ')
    parts.append(f'"{source["title"]}", {source["publisher"]}')
    if present(source.get("published")):
        parts.append(f", published on {long_date(source['published'])}")
    elif present(source.get("accessed")):
        parts.append(f", accessed on {long_date(source['accessed'])}")
    if detail:
        parts.append(f"; {detail}")
    parts.append(".")
    if present(source.get("credit")):
        parts.append(f" {str(source['credit']).rstrip('.')}.")
    if present(source.get("url")):
        parts.append(f' {source["url"]}')
    return "".join(parts)


@dataclass(frozen=True)
class Ref:
    """A pointer from a printed value to its source row: the source id, and which row of it."""

    source: str
    detail: str = ""   # e.g. "Belarus's trade with Pakistan, 2019, as Belarus reports it"


@dataclass(frozen=True)
class Note:
    number: int
    source_id: str
    text: str

    def pieces(self) -> list[tuple[str, bool]]:
        """The text split into plain runs and URLs: (text, is_url). Templates link the URLs."""
        out: list[tuple[str, bool]] = []
        for token in re.split(r"(\s+)", self.text):
            is_url = token.startswith(("http://", "https://"))
            if out and not is_url and not out[-1][1]:
                out[-1] = (out[-1][0] + token, False)
            elif token:
                out.append((token, is_url))
        return out


class Notes:
    """The footnotes of one brief, in the order they are first called."""

    def __init__(self, sources: pd.DataFrame):
        self.sources = sources
        self.notes: list[Note] = []
        self._by_ref: dict[tuple[str, str], Note] = {}

    def cite(self, ref: "Ref | str") -> tuple[Note, bool]:
        """The note for `ref`, and whether this is its first call."""
        ref = Ref(ref) if isinstance(ref, str) else ref
        key = (ref.source, ref.detail)
        if key in self._by_ref:
            return self._by_ref[key], False
        if ref.source not in self.sources.index:
            known = ", ".join(sorted(str(i) for i in self.sources.index)[:8])
            raise DataPackageError(
                f'Unknown source "{ref.source}": add a row with that id to sources.csv (known ids include {known})')
        short = any(n.source_id == ref.source for n in self.notes)
        note = Note(len(self.notes) + 1, ref.source, citation(self.sources.loc[ref.source], ref.detail, short))
        self.notes.append(note)
        self._by_ref[key] = note
        return note, True
