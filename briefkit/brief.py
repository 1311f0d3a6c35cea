"""The brief being assembled inside the notebook's kernel.

    brief = Brief.open("PAK", "BLR")
    brief.front_matter()          # masthead, title, byline, date, disclaimer
    brief.section("cooperation")  # analyst prose with values, footnotes, figures and tables
    brief.notes_list()            # the notes, for the screen

Every method returns a Block whose HTML is the cell's output. Footnotes and figure and table numbers
run on across cells in the order the cells execute.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import re
from dataclasses import dataclass

import pandas as pd
from markdown_it import MarkdownIt

from . import charts, facts as factlib
from .citations import Notes, long_date
from .datapackage import PairData, open_package
from .errors import DataPackageError

SECTIONS = ("opening", "history", "cooperation", "multilateral", "challenges", "next", "conclusion")
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}|[ \t]*\[@([A-Za-z0-9][A-Za-z0-9_-]*)\]")  # a citation hugs the word before it
HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[a-z]+)\}\s*$", re.M)
TOKEN = "\ue000{}\ue001"
MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})
# In JupyterLab the brief is read in the notebook: note texts wait for the Notes list at the end.
# The selector matches only Lab's output area, so exported HTML and PDF are unaffected.
LAB_STYLE = ("<style>.jp-OutputArea-output .fn{display:none}"
             ".jp-OutputArea-output .fn-call{font-size:70%;line-height:0}"
             ".jp-OutputArea-output figure.chart img{max-width:40rem}</style>")


@dataclass(frozen=True)
class Block:
    """One cell's share of the brief, as HTML."""

    html: str
    metadata: dict | None = None  # saved with the cell's output, e.g. the brief's title for the template

    def _repr_html_(self):
        return (self.html, self.metadata) if self.metadata else self.html

    def __repr__(self) -> str:  # the plain-text fallback stays empty: the brief is the HTML
        return ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str  # Markdown with placeholders
    line: int  # where it starts in the prose file, for messages


def parse_prose(text: str | None) -> dict[str, Section]:
    """Split analyst Markdown into sections by their `## Title {#id}` headings."""
    if not text:
        return {}
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    found = list(HEADING.finditer(text))
    sections = {}
    for i, m in enumerate(found):
        if m.group("id") not in SECTIONS:
            raise DataPackageError(
                f'Prose section "{m.group("id")}" (line {text.count(chr(10), 0, m.start()) + 1}) is not '
                f'a brief section; use one of: {", ".join(SECTIONS)}')
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        sections[m.group("id")] = Section(m.group("id"), m.group("title"), text[m.end():end].strip(),
                                          text.count("\n", 0, m.start()) + 1)
    return sections


class Brief:
    def __init__(self, pair: PairData):
        self.pair = pair
        front = pair.front_matter
        self.date = pd.Timestamp(front["date"]).date() if front is not None else dt.date.today()
        self.facts = factlib.Facts(pair, as_of=self.date)
        self.notes = Notes(pair.sources)
        self.sections = parse_prose(pair.prose)
        self.figure_count = 0
        self.table_count = 0

    @classmethod
    def open(cls, country_a: str, country_b: str, data: str | None = None) -> "Brief":
        return cls(open_package(data).pair(country_a, country_b))

    @property
    def names(self) -> tuple[str, str]:
        return self.pair.a["name"], self.pair.b["name"]

    # ---- front matter --------------------------------------------------------------------------
    def front_matter(self) -> Block:
        front, inst = self.pair.front_matter, self.pair.institute
        e = html.escape
        if front is None:
            a, b = self.names
            title = f"{a}-{b} Relations: A Data Brief"
            byline = '<p class="author">Drafted from the shared data package</p>'
            editor = ""
            masthead = '<div class="kicker">ISSUE BRIEF</div>'
            disclaimer = "Drafted automatically from sourced data; every figure is footnoted to its source."
        else:
            title = front["title"]
            lines = [front["author"], front.get("designation"), front.get("centre")]
            byline = "".join(f'<p class="{cls}">{e(str(v))}</p>' for cls, v in
                             zip(("author", "designation", "centre"), lines) if _present(v))
            editor = (f'<p class="editor">Edited by <strong>{e(front["editor"])}</strong></p>'
                      if _present(front.get("editor")) else "")
            contact = " ".join(f"{label}: {e(str(inst[k]))}" for label, k in
                               (("Web", "web"), ("Phone", "phone"), ("Fax", "fax")) if _present(inst.get(k)))
            masthead = (f'<div class="kicker">ISSUE BRIEF</div>'
                        f'<div class="institute">{e(inst["name"].upper())}</div>'
                        f'<div class="contact">{contact}</div>')
            disclaimer = inst["disclaimer"]
        meta = {"briefkit": {"title": title, "date": self.date.isoformat(),
                             "pair": f"{self.pair.codes[0]}-{self.pair.codes[1]}"}}
        return Block(
            f'{LAB_STYLE}<header class="front-matter">'
            f'<div class="masthead">{masthead}</div>'
            f'<h1 class="title">{e(title.upper())}</h1>'
            f'<div class="byline"><p class="by">By</p>{byline}</div>{editor}'
            f'<p class="date">{long_date(self.date)}</p>'
            f'<p class="disclaimer">({e(disclaimer)})</p>'
            f'</header>', meta)

    # ---- sections ------------------------------------------------------------------------------
    def section(self, section_id: str) -> Block:
        if section_id not in SECTIONS:
            raise DataPackageError(f'"{section_id}" is not a brief section; use one of: {", ".join(SECTIONS)}')
        sec = self.sections.get(section_id)
        if sec is None:
            return Block("")
        heading = "" if section_id == "opening" else f"<h2>{html.escape(_heading(sec.title))}</h2>"
        body = "".join(self._block(chunk, sec) for chunk in re.split(r"\n\s*\n", sec.body) if chunk.strip())
        return Block(f'<section class="brief-section" id="{section_id}">{heading}{body}</section>')

    def _block(self, chunk: str, sec: Section) -> str:
        """One paragraph (or a figure/table line): placeholders become values with footnotes.

        Within a paragraph each source is footnoted once, where it is first used.
        """
        whole = re.fullmatch(r"\{\{\s*(figure|table):([a-z_]+)\s*\}\}", chunk.strip())
        if whole:
            return self.figure(whole.group(2)).html if whole.group(1) == "figure" else self.table(whole.group(2)).html
        cited: set[str] = set()
        pieces: list[str] = []

        def replace(m: re.Match) -> str:
            if m.group(2):
                text, sources = "", (m.group(2),)
            else:
                try:
                    value = factlib.resolve(self.facts, m.group(1))
                except DataPackageError as exc:
                    raise DataPackageError(f'{exc} (prose section "{sec.id}", near line {sec.line})') from None
                text, sources = html.escape(value.text), value.sources
            pieces.append(text + self._calls(sources, cited))
            return TOKEN.format(len(pieces) - 1)

        rendered = MARKDOWN.render(PLACEHOLDER.sub(replace, chunk))
        return re.sub("\ue000(\\d+)\ue001", lambda m: pieces[int(m.group(1))], rendered)

    def _calls(self, sources, cited: set[str]) -> str:
        calls = []
        for sid in sources:
            if sid not in cited:
                cited.add(sid)
                calls.append(self.notes.cite(sid).call_html())
        return "".join(calls)

    # ---- figures and tables --------------------------------------------------------------------
    def figure(self, name: str) -> Block:
        chart = charts.draw(name, self.facts)
        self.figure_count += 1
        image = base64.b64encode(chart.svg.encode()).decode()
        caption = f"Figure {self.figure_count} ({chart.title})"
        return Block(
            f'<figure class="chart" id="figure-{self.figure_count}">'
            f'<img src="data:image/svg+xml;base64,{image}" alt="{html.escape(caption)}"/>'
            f'<figcaption><span class="caption">{html.escape(caption)}</span> '
            f'<span class="source-line">{html.escape(chart.source_line)}{self._calls(chart.sources, set())}</span>'
            f'</figcaption></figure>')

    def table(self, name: str) -> Block:
        builders = {"visits": self._visits, "agreements": self._agreements}
        if name not in builders:
            raise DataPackageError(f'Unknown table "{name}"; known tables: {", ".join(builders)}')
        title, header, rows = builders[name]()
        if not rows:
            return Block("")
        self.table_count += 1
        caption = f"Table {self.table_count} ({title} between {self.names[0]} & {self.names[1]})"
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
                       for cells, _ in rows)
        sources = tuple(dict.fromkeys(source for _, source in rows))  # each source once, in row order
        return Block(f'<table class="brief-table"><caption>{html.escape(caption)}{self._calls(sources, set())}'
                     f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def _visits(self):
        rows = []
        for _, ev in self.facts.pair_events("visit").iterrows():
            rows.append(([factlib.event_date(ev["date"]), ev["person"], ev["role"], ev["place"]], ev["source"]))
        return "High-level Visits", ["Date", "Visitor", "Office", "Visiting"], rows

    def _agreements(self):
        rows = []
        for _, ev in self.facts.pair_events("agreement").iterrows():
            rows.append(([factlib.event_date(ev["date"]), ev["title"]], ev["source"]))
        return "Agreements", ["Signed", "Agreement"], rows

    # ---- notes ---------------------------------------------------------------------------------
    def notes_list(self) -> Block:
        return Block(self.notes.html() if self.notes.notes else "")


def _heading(title: str) -> str:
    return title if title.endswith((":", "?")) else f"{title}:"


def _present(value) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""
