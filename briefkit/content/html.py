"""The brief's HTML, from Jinja templates with autoescape (content/templates/html/).

Every string from the data reaches the page through the templates' escaping. The one piece of
HTML made elsewhere is markdown-it's rendering of analyst prose (raw HTML switched off, so it
escapes whatever the analyst typed), into which values are set by their private-use tokens.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from .document import DocSection, Document, FigureBlock, Heading, Insert, Paragraph, TableBlock

TEMPLATES = Path(__file__).resolve().parent / "templates" / "html"
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=False)
_TOKEN = re.compile("\ue000(\\d+)\ue001")
TEMPLATE_NAMES = ("macros.html.j2", "front.html.j2", "section.html.j2", "insert.html.j2", "notes.html.j2")


def front(doc: Document) -> str:
    return _env.get_template("front.html.j2").render(front=doc.front)


def section(doc: Document, section_id: str) -> str:
    sec = doc.sections.get(section_id)
    if sec is None:
        return ""
    return _env.get_template("section.html.j2").render(section=sec, heading=_heading(sec.title),
                                                       items=[_block(b, doc) for b in sec.blocks])


def insert(doc: Document, placed: Insert) -> str:
    """What the analyst handed over in one notebook cell, numbered with the brief."""
    return _env.get_template("insert.html.j2").render(items=[_block(b, doc) for b in placed.blocks])


def notes(doc: Document) -> str:
    if not doc.notes:
        return ""
    return _env.get_template("notes.html.j2").render(notes=doc.notes)


def _heading(title: str) -> str:
    return title if title.endswith((":", "?")) else f"{title}:"


def _pieces(block: Paragraph) -> list[tuple]:
    """Drafted paragraph → ("text", s) and ("value", text, calls, follows) pieces; claims are
    joined by a space, and a call right after another call is printed after a comma."""
    pieces, calls = [], iter(block.calls)
    after_call = False
    for i, claim in enumerate(block.claims):
        if i:
            pieces.append(("text", " "))
            after_call = False
        for part in claim.parts:
            if isinstance(part, str):
                pieces.append(("text", part))
                after_call = after_call and part == ""
            else:
                mine = next(calls)
                pieces.append(("value", part.text, mine, after_call and part.text == ""))
                after_call = bool(mine) or (after_call and part.text == "")
    return pieces


def _markdown(block: Paragraph) -> Markup:
    """Analyst prose: markdown-it's HTML with each token replaced by its value and calls."""
    macros = _env.get_template("macros.html.j2").module
    values = [v for c in block.claims for v in c.values]
    out, last, after_call = [], 0, False
    for m in _TOKEN.finditer(block.markdown_html):
        between = block.markdown_html[last:m.start()]
        if between:
            after_call = False
        out.append(Markup(between))
        i = int(m.group(1))
        value, calls = values[i], block.calls[i]
        out.append(macros.piece(("value", value.text, calls, after_call and value.text == "")))
        after_call = bool(calls) or (after_call and value.text == "")
        last = m.end()
    out.append(Markup(block.markdown_html[last:]))
    return Markup("").join(out)


def _block(block, doc: Document) -> dict:
    if isinstance(block, Paragraph):
        if block.markdown_html is not None:
            return {"kind": "markdown", "html": _markdown(block)}
        return {"kind": "paragraph", "pieces": _pieces(block)}
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text}
    if isinstance(block, FigureBlock):
        chart = block.chart
        return {"kind": "figure", "number": block.number, "calls": block.calls,
                "image": base64.b64encode(chart.svg.encode()).decode(),
                "caption": f"Figure {block.number} ({chart.title})", "source_line": chart.source_line}
    if isinstance(block, TableBlock):
        data = block.data
        a, b = doc.names.values()
        caption = f"Table {block.number} ({data.title})" if block.own else \
            f"Table {block.number} ({data.title} between {a} & {b})"
        return {"kind": "table", "number": block.number, "calls": block.calls, "caption": caption,
                "header": data.header, "rows": [cells for cells, _ in data.rows]}
    raise TypeError(f"Unknown block {block!r}")

