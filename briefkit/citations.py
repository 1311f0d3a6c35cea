"""Sources → footnotes in the house citation form, numbered continuously across a brief.

    "Title", Publisher, published on Month D, YYYY. URL     (a dated source)
    "Title", Publisher, accessed on Month D, YYYY. URL      (a database or an undated page)

With an author: Author, "Title", Publisher, published on ...
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup, escape

from .errors import DataPackageError


def long_date(value) -> str:
    """2023-07-27 → July 27, 2023."""
    ts = pd.Timestamp(value)
    return f"{ts:%B} {ts.day}, {ts.year}"


def present(value) -> bool:
    """A cell with something in it: not missing, not empty."""
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def citation(source: pd.Series, detail: str = "") -> str:
    """The house form of one source row (plain text); `detail` names the row used, before the URL."""
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

    def text_html(self) -> str:
        """The note's text, escaped, with each URL as a link. Built piece by piece from the plain
        text (a URL token becomes a link, anything else is escaped): never by replacing in HTML."""
        return str(Markup("").join(
            Markup('<a href="{0}">{0}</a>').format(piece) if _is_url(piece) else escape(piece)
            for piece in _pieces(self.text)))

    def call_html(self, follows: bool = False) -> str:
        """The footnote call placed in the text; the PDF floats the note to the page bottom.

        `follows`: the call comes straight after another one, and is printed after a comma.
        """
        extra = " follows" if follows else ""
        return (f'<sup class="fn-call{extra}" id="fnref-{self.number}"><a href="#fn-{self.number}">{self.number}</a></sup>'
                f'<span class="fn{extra}" data-source="{html.escape(self.source_id)}">{self.text_html()}</span>')


def _pieces(text: str) -> list[str]:
    """The text split into whitespace runs and words, in order: "".join(pieces) == text."""
    return [piece for piece in re.split(r"(\s+)", text) if piece]


def _is_url(word: str) -> bool:
    return word.startswith(("http://", "https://"))


class Notes:
    """The footnotes of one brief, in the order they are called."""

    def __init__(self, sources: pd.DataFrame):
        self.sources = sources
        self.notes: list[Note] = []

    def cite(self, ref: "Ref | str") -> Note:
        ref = Ref(ref) if isinstance(ref, str) else ref
        source_id = ref.source
        if source_id not in self.sources.index:
            known = ", ".join(sorted(self.sources.index)[:8])
            raise DataPackageError(
                f'Unknown source "{source_id}": add a row with that id to sources.csv (known ids include {known})')
        note = Note(len(self.notes) + 1, source_id, citation(self.sources.loc[source_id], ref.detail))
        self.notes.append(note)
        return note

    def html(self) -> str:
        """The notes as a numbered list, for the screen (the PDF shows them at page bottoms)."""
        items = []
        for note in self.notes:
            items.append(f'<li id="fn-{note.number}" value="{note.number}">{note.text_html()} '
                         f'<a class="back" href="#fnref-{note.number}">↩</a></li>')
        return f'<section class="notes"><h2>Notes</h2><ol>{"".join(items)}</ol></section>'
