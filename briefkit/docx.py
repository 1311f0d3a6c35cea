"""The brief as a Word document for editors (`--to docx`, nbconvert exporter `briefkit_docx`).

Made from the brief's own HTML by pandoc (pypandoc-binary ships it), so the document has what the
HTML has: the masthead, headings, tables, figures with their captions and source lines. What
pandoc cannot take as it is, briefkit prepares:

- each note (`<sup class="fn-call">` + `<span class="fn">`) becomes a real Word footnote: the span
  is marked, and after pandoc has read the page the marked spans become footnotes in its document
  tree (pandoc's Note), which the Word writer puts in word/footnotes.xml;
- the charts, SVG, become PNG through cairosvg (Word and LibreOffice differ on SVG support);
- the Notes list and the screen-only styles are left out (the notes are footnotes now);
- the document's title and author are set in its properties (docProps/core.xml), its paper to A4.
"""
from __future__ import annotations

import base64
import io
import json
import re
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote
from xml.sax.saxutils import escape

from traitlets import default

from .errors import ExportError
from .export import BriefHTMLExporter

NOTE_CLASS = "briefkit-note"
MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BriefDocxExporter(BriefHTMLExporter):
    """The brief as a .docx with real footnotes: `jupyter nbconvert --to briefkit_docx A-B.ipynb`."""

    export_from_notebook = "Brief (Word)"
    output_mimetype = MIMETYPE

    @default("file_extension")
    def _file_extension_default(self):
        return ".docx"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".docx"
        return docx(html), resources


def docx(html: str) -> bytes:
    """The brief's HTML (as briefkit's template makes it) as a Word document."""
    import pypandoc

    page, title, authors = prepare(html)
    try:
        tree = json.loads(pypandoc.convert_text(page, "json", format="html"))
        tree["blocks"] = _notes(tree["blocks"])
        with tempfile.TemporaryDirectory(prefix="briefkit-docx-") as scratch:
            path = Path(scratch) / "brief.docx"
            pypandoc.convert_text(json.dumps(tree), "docx", format="json", outputfile=str(path),
                                  extra_args=["--metadata=lang:en-GB"])
            data = path.read_bytes()
    except (RuntimeError, OSError) as exc:
        raise ExportError(f"Word export failed in pandoc: {exc}") from exc
    return set_properties(data, title, authors, _date(html))


def prepare(html: str) -> tuple[str, str, list[str]]:
    """The page pandoc reads (notes marked, charts as PNG, no notes list), the title and authors."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    heading = soup.select_one("h1.title") or soup.title
    title = heading.get_text(" ", strip=True) if heading else ""
    authors = [a.get_text(" ", strip=True) for a in soup.select(".byline .author")]
    body = soup.find("article") or soup.body or soup
    for junk in body.select("style, section.notes, a.back, sup.fn-call"):
        junk.decompose()
    for note in body.select("span.fn"):
        note.attrs = {"class": NOTE_CLASS}
    for img in body.select('img[src^="data:image/svg+xml"]'):
        img["src"], width = _png(img["src"])
        if width:
            img["width"] = f"{width}px"
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>', title, authors


def _date(html: str) -> str:
    """The brief's date (dcterms.created, else the printed date) as W3CDTF; 1980-01-01 if none."""
    found = re.search(r'<meta name="dcterms.created" content="(\d{4}-\d{2}-\d{2})', html)
    printed = re.search(r'<p class="date">([A-Z][a-z]+ \d{1,2}, \d{4})</p>', html)
    try:
        day = (datetime.fromisoformat(found.group(1)) if found else
               datetime.strptime(printed.group(1), "%B %d, %Y") if printed else None)
    except ValueError:
        day = None
    return f"{(day or datetime(1980, 1, 1)):%Y-%m-%d}T00:00:00Z"


def _png(src: str) -> tuple[str, int | None]:
    """An SVG data: URI as a PNG data: URI at twice its size (sharp on paper), and its width in px."""
    import cairosvg

    header, _, payload = src.partition(",")
    svg = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode("utf-8")
    try:
        png = cairosvg.svg2png(bytestring=svg, scale=2)
    except Exception as exc:  # cairosvg raises many kinds; all mean the chart could not be drawn
        raise ExportError(f"Word export: a chart could not be drawn as PNG ({type(exc).__name__}: {exc})") from exc
    width = int.from_bytes(png[16:20], "big") // 2 if png[12:16] == b"IHDR" else None
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii"), width


def _notes(node):
    """pandoc's tree with each Span marked NOTE_CLASS replaced by a Note (a real footnote)."""
    if isinstance(node, list):
        return [_notes(n) for n in node]
    if isinstance(node, dict):
        if node.get("t") == "Span" and NOTE_CLASS in node["c"][0][1]:
            return {"t": "Note", "c": [{"t": "Para", "c": _notes(node["c"][1])}]}
        return {k: _notes(v) for k, v in node.items()}
    return node


CORE = re.compile(r"<dc:(title|creator)>.*?</dc:\1>|<dc:(title|creator)\s*/>", re.S)
DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


# The house paper: A4 with 2.5 cm margins (twentieths of a point); without it Word and LibreOffice
# take their own default, Letter in many places.
A4 = (b'<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1417" '
      b'w:left="1417" w:header="708" w:footer="708" w:gutter="0"/>')


def set_properties(data: bytes, title: str, authors: list[str], date: str) -> bytes:
    """The .docx with its title, author and dates set in docProps/core.xml, A4 paper, and every
    entry dated 1980-01-01: pandoc stamps the time of the run, and the same brief must give the
    same bytes. Every other part is as pandoc wrote it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            part = src.read(item.filename)
            if item.filename == "word/document.xml" and b"<w:pgSz" not in part:
                head, sep, tail = part.rpartition(b"</w:sectPr>")
                part = head + A4 + sep + tail if sep else part
            if item.filename == "docProps/core.xml":
                xml = CORE.sub("", part.decode("utf-8"))
                xml = DATES.sub(lambda m: f"{m.group(1)}{date}{m.group(3)}", xml)
                props = f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape('; '.join(authors))}</dc:creator>"
                part = re.sub(r"(<cp:coreProperties[^>]*>)", lambda m: m.group(1) + props, xml, count=1).encode("utf-8")
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, part)
    return out.getvalue()
