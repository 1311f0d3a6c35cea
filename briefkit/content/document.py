"""The whole brief as data: front matter, sections of blocks, notes and claims, numbered once.

    doc = build(pair, as_of=date(2024, 2, 2))
    doc.sections["cooperation"].blocks     # paragraphs, sub-headings, figures, tables
    doc.claims                             # every sentence that states something
    doc.notes                              # footnotes in call order
    place(doc, key, after="cooperation", blocks=[...])   # the analyst's own text, figure or table

The brief is drafted and numbered in one pass at the start, so a notebook cell that shows one
section gives the same figure and note numbers however often, and in whatever order, it is run.
What an analyst hands over from the notebook is placed after the section shown before it and the
whole brief is numbered again, in reading order: a cell run again replaces its own blocks.
Analyst sections come first in the drafting (not in the order): a drafted sentence that only repeats
rows the analyst already states is left out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import pandas as pd
from markdown_it import MarkdownIt

from ..datapackage import PairData
from ..errors import DataPackageError
from . import charts, rules, tables
from .claims import Claim
from .figures import Figures
from .notes import Note, Notes, Ref
from .placeholders import PLACEHOLDER, WHOLE_LINE, ProseSection, parse_prose, resolve
from .sections import BY_ID, SECTIONS, FirstOf, Group, Para, cooperation_title
from .sections import Figure as FigureSpec
from .sections import Table as TableSpec
from .settings import THRESHOLDS
from .values import Pointer, Value

MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})
TOKEN = "\ue000{}\ue001"


@dataclass(frozen=True)
class Call:
    """A footnote call: the note, and whether this call carries the note's text (its first call)."""

    note: Note
    first: bool


@dataclass
class Paragraph:
    claims: list[Claim]                  # as printed: figure pointers numbered, ids unique
    markdown_html: str | None = None     # analyst prose: markdown-it's HTML with a token per value
    calls: list[list[Call]] = field(default_factory=list)   # per value of the claims, in order
    drafts: list[Claim] = field(default_factory=list)       # as drafted, before numbering


@dataclass
class Heading:
    text: str


@dataclass
class FigureBlock:
    name: str
    chart: object = None
    number: int = 0
    calls: list[Call] = field(default_factory=list)


@dataclass
class TableBlock:
    name: str
    data: tables.TableData = None
    number: int = 0
    calls: list[Call] = field(default_factory=list)
    own: bool = False    # the analyst's table: its caption is the analyst's title as given


@dataclass
class Insert:
    """Blocks the analyst hands over in the notebook, placed after a section ("" for the front matter)."""

    key: str             # the notebook cell (or caption) it comes from: run again, it replaces itself
    after: str
    blocks: list


@dataclass
class DocSection:
    id: str
    title: str
    origin: str          # "analyst" or "drafted"
    blocks: list


@dataclass
class Document:
    pair: str
    names: dict
    as_of: dt.date
    front: dict
    sections: dict[str, DocSection]
    notes: list[Note]
    claims: list[Claim]
    digest: str = ""
    inserts: list[Insert] = field(default_factory=list)
    drafting: tuple = field(default=None, repr=False)   # (Figures, sources): to number the brief again


def build(pair: PairData, as_of: dt.date | None = None, front: dict | None = None) -> Document:
    f = Figures(pair, as_of)
    prose = parse_prose(pair.prose)
    written = {sid: analyst(f, sec) for sid, sec in prose.items()}
    stated_rows = {row for sec in written.values() for b in sec.blocks if isinstance(b, Paragraph)
                   for c in b.claims for v in c.values for row in v.rows}
    said: set[str] = set()
    ordered = {}
    for spec in SECTIONS:
        sec = written.get(spec.id)
        if sec is None or not sec.blocks:   # a heading with nothing under it keeps the drafted text
            sec = _drafted(f, spec, stated_rows, said)
        if sec is not None and sec.blocks:
            ordered[spec.id] = sec
    doc = Document(f"{f.a}-{f.b}", dict(f.names), f.as_of, front or {}, ordered, [], [], pair.digest,
                   drafting=(f, pair.sources))
    _number(doc)
    return doc


def place(doc: Document, key: str, after: str, blocks: list) -> Insert:
    """Put the analyst's `blocks` after section `after` (or in the place `key` had before), and
    number the whole brief again. Returns the insert, numbered."""
    if after and after not in BY_ID:
        raise DataPackageError(f'"{after}" is not a brief section; use one of: {", ".join(BY_ID)}')
    before = list(doc.inserts)
    for i, insert in enumerate(doc.inserts):
        if insert.key == key:
            doc.inserts[i] = Insert(key, insert.after, blocks)
            break
    else:
        doc.inserts.append(Insert(key, after, blocks))
    try:
        _number(doc)
    except DataPackageError:
        doc.inserts = before   # the brief stays as it was, the cell's earlier blocks too
        _number(doc)
        raise
    return next(i for i in doc.inserts if i.key == key)


def reading_order(doc: Document):
    """Every block of the brief as a reader meets it: the analyst's inserts after the front matter,
    then each section's blocks followed by the inserts placed after it."""
    for anchor in ("", *BY_ID):
        if anchor in doc.sections:
            yield from doc.sections[anchor].blocks
        for insert in doc.inserts:
            if insert.after == anchor:
                yield from insert.blocks


# ---- analyst sections --------------------------------------------------------------------------

def analyst(f: Figures, sec: ProseSection) -> DocSection:
    blocks = []
    for chunk in re.split(r"\n\s*\n", sec.body):
        if not chunk.strip():
            continue
        whole = WHOLE_LINE.fullmatch(chunk.strip())
        if whole:
            kind, name = whole.groups()
            blocks.append(FigureBlock(name) if kind == "figure" else TableBlock(name))
            continue
        parts, pieces = [], []
        last = 0

        def hold(m: re.Match) -> str:
            nonlocal last
            parts.append(chunk[last:m.start()])
            last = m.end()
            if m.group(2):
                value = Value("", (Ref(m.group(2)),), unit="citation")
            else:
                try:
                    value = resolve(f, m.group(1))
                except DataPackageError as exc:
                    where = "" if sec.id == "notebook" else f' (prose section "{sec.id}", near line {sec.line})'
                    raise DataPackageError(f"{exc}{where}") from None
            parts.append(value)
            pieces.append(value)
            return TOKEN.format(len(pieces) - 1)

        marked = PLACEHOLDER.sub(hold, chunk)
        parts.append(chunk[last:])
        claim = Claim(f"{sec.id}/analyst", sec.id, "analyst", tuple(p for p in parts if p != ""))
        blocks.append(Paragraph([claim], MARKDOWN.render(marked)))
    return DocSection(sec.id, sec.title, "analyst", blocks)


# ---- drafted sections --------------------------------------------------------------------------

def _drafted(f: Figures, spec, stated_rows: set, said: set) -> DocSection | None:
    if not spec.groups:
        return None
    groups, topics = [], set()
    for group in spec.groups:
        blocks = _group(f, spec.id, group, stated_rows, said)
        if blocks:
            groups.append((group, blocks))
            topics.add(group.topic)
    if not groups:
        return None
    title = cooperation_title(topics) if spec.id == "cooperation" else spec.title
    out = []
    for group, blocks in groups:
        if group.heading and len(groups) > 1:
            out.append(Heading(group.heading))
        out += blocks
    return DocSection(spec.id, title, "drafted", out)


def _group(f: Figures, section: str, group: Group, stated_rows: set, said: set) -> list:
    blocks, anchored, opened = [], False, False   # the item before said something; anything has
    for item in group.items:
        if isinstance(item, (Para, FirstOf)):
            claims = _claims(f, section, item, stated_rows, said)
            anchored = bool(claims)
            opened = opened or anchored
            if not claims:
                continue
            if isinstance(item, Para) and item.split:
                blocks += [Paragraph([c]) for c in claims]
            else:
                blocks.append(Paragraph(claims))
        elif isinstance(item, FigureSpec):
            if opened and _chartable(f, item.name):
                blocks.append(FigureBlock(item.name))
        elif isinstance(item, TableSpec):
            data = tables.build(item.name, f)
            if anchored and data.rows:
                blocks.append(TableBlock(item.name, data))
    return blocks if any(isinstance(b, Paragraph) for b in blocks) else []


def _claims(f: Figures, section: str, item, stated_rows: set, said: set) -> list[Claim]:
    out = []
    for rule_id in item.rules:
        for claim in rules.apply(rule_id, f, section):
            rows = {r for v in claim.values for r in v.rows}
            if claim.text in said or (rows and rows <= stated_rows):
                continue   # said already, or only repeats what the analyst states
            said.add(claim.text)
            out.append(claim)
        if out and isinstance(item, FirstOf):
            break
    return out


def _chartable(f: Figures, name: str = "trade_total") -> bool:
    """Charts only where they show something: two or more years (sessions, for UN alignment), and
    more than negligible trade."""
    if name == "alignment_distance":
        from .rules.alignment import distances
        return len(distances(f)) >= 2
    if len(f.years()) < 2:
        return False
    peak = max((f.series(c)["total"].max() for c in (f.a, f.b) if not f.series(c).empty), default=0)
    return bool(pd.notna(peak) and peak >= THRESHOLDS["negligible_trade"])


# ---- numbering ---------------------------------------------------------------------------------

def _number(doc: Document) -> None:
    """Figure and table numbers, pointers, claim ids, then footnote calls, in reading order."""
    f, sources = doc.drafting
    notes = Notes(sources)
    numbered: dict[str, dict[str, int]] = {"figure": {}, "table": {}}
    for block in reading_order(doc):
        if isinstance(block, (FigureBlock, TableBlock)):
            kind = numbered["figure" if isinstance(block, FigureBlock) else "table"]
            block.number = kind.setdefault(block.name, len(kind) + 1)
    seen: dict[str, int] = {}
    doc.claims = []
    for block in reading_order(doc):
        if isinstance(block, Paragraph):
            block.drafts = block.drafts or block.claims
            block.claims = [_unique(_pointed(c, numbered), seen) for c in block.drafts]
            cited: set = set()
            block.calls = [_calls(v.refs, cited, notes) for c in block.claims for v in c.values]
            doc.claims += block.claims
        elif isinstance(block, FigureBlock):
            block.chart = block.chart or charts.draw(block.name, f)
            block.calls = _calls(block.chart.refs, set(), notes)
        elif isinstance(block, TableBlock):
            block.data = block.data or tables.build(block.name, f)
            block.calls = _calls(block.data.refs, set(), notes)
    doc.notes = list(notes.notes)


def _calls(refs, cited: set, notes: Notes) -> list[Call]:
    calls = []
    for ref in refs:
        if ref not in cited:
            cited.add(ref)
            note, first = notes.cite(ref)
            calls.append(Call(note, first))
    return calls


def _pointed(claim: Claim, numbered: dict) -> Claim:
    if not any(isinstance(p, Pointer) for p in claim.parts):
        return claim
    parts = []
    for p in claim.parts:
        if isinstance(p, Pointer):
            known = numbered[p.kind]
            if p.name not in known:
                raise DataPackageError(
                    f'{{{{ ref:{p.kind}:{p.name} }}}} in section "{claim.section}": the brief has no {p.kind} '
                    f'"{p.name}" (it has: {", ".join(known) or "none"})')
            parts.append(Value(f"{p.kind.capitalize()} {known[p.name]}", unit=p.kind, measure="pointer"))
        else:
            parts.append(p)
    return replace(claim, parts=tuple(parts))


def _unique(claim: Claim, seen: dict) -> Claim:
    """Claim ids are unique in a brief: a rule's second claim in a section is "id#2"."""
    seen[claim.id] = seen.get(claim.id, 0) + 1
    return claim if seen[claim.id] == 1 else replace(claim, id=f"{claim.id}#{seen[claim.id]}")


def section_ids() -> tuple[str, ...]:
    return tuple(BY_ID)
