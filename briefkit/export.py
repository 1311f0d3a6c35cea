"""HTML and PDF exporters over one house template (templates/briefkit).

Both are nbconvert exporters, registered as `briefkit_html` and `briefkit_pdf`, so
`jupyter nbconvert --to briefkit_pdf executed.ipynb` works too. The PDF is WeasyPrint's paged
rendering of the same HTML.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from traitlets import default

from . import (arraytypes, cascade, linebreaks, noteheights, pagetree, paging, patches, pdfstreams, percentages,
               stylesheets, svgpaths, svgstyles)
from .content.ledger import OUTPUT_KEY
from .errors import ExportError
from .htmlsafety import fetch_error, fetcher, sanitize

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
TEMPLATE = TEMPLATES / "briefkit"
# The house fonts, and the faces for Arabic-script and CJK names; ./setup.sh installs them.
FONTS = {"Noto Serif": "fonts-noto-core", "Noto Sans": "fonts-noto-core",
         "Noto Naskh Arabic": "fonts-noto-core", "Noto Serif CJK SC": "fonts-noto-cjk"}


class BriefHTMLExporter(HTMLExporter):
    """The brief as one self-contained HTML page: no code, nothing fetched from the network."""

    export_from_notebook = "Brief (HTML)"

    @default("template_name")
    def _template_name_default(self):
        return "briefkit"

    @default("template_file")
    def _template_file_default(self):
        return "index.html.j2"  # the PDF is the same HTML, paged

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]

    @default("optimistic_validation")
    def _optimistic_validation_default(self):
        return True  # the notebook validated once, after the preprocessors, not after each of them

    def from_notebook_node(self, nb, resources=None, **kw):
        nb = without_claims(nb)
        html, resources = self._templated(nb, resources, **kw) if _as_written() else (None, resources)
        if html is None or UNDESCRIBED.search(html):  # nbconvert's own pass gives such an image its text
            html, resources = super().from_notebook_node(nb, resources, **kw)
        return sanitize(html), resources  # the last guard: only the house template's elements

    def _templated(self, nb, resources, **kw):
        """The page as the house template writes it: HTMLExporter.from_notebook_node without its
        last step, which parses the page with BeautifulSoup to give an <img> without alt text a
        placeholder and Jupyter's cell wrappers a tab stop, then writes it out again (attributes
        sorted). The house template has no cell wrappers and its figures carry their alt text, so
        that pass changed only the attributes' order and took 60 % of an HTML export (15 ms a
        brief); the PDF is the same, byte for byte. Any other <img> without alt (an analyst's own
        HTML output) still gets nbconvert's pass."""
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


# HTMLExporter.from_notebook_node as _templated follows it (nbconvert 7.17); another version's is
# used whole. An <img> with no alt attribute, which nbconvert's pass would describe.
TEMPLATED_KNOWN = {"3dccafff45cc4e74"}
UNDESCRIBED = re.compile(r"<img\b(?![^>]*\salt\s*=)[^>]*>", re.I)


@lru_cache(maxsize=1)
def _as_written() -> bool:
    return patches.digest(HTMLExporter.from_notebook_node) in TEMPLATED_KNOWN


def without_claims(nb):
    """The notebook as the page is made from it: without the claims ledger (kept in the notebook's
    metadata and in its last output's, and written beside the brief as A-B.claims.json), which the
    page does not show and nbconvert would copy three times over: half the time an HTML export
    took. Shallow copies; the notebook itself is not changed."""
    from nbformat import NotebookNode

    def lean_output(output):
        meta = output.get("metadata") or {}
        html = meta.get("text/html")
        if OUTPUT_KEY not in meta and not (isinstance(html, dict) and OUTPUT_KEY in html):
            return output
        meta = NotebookNode({k: v for k, v in meta.items() if k != OUTPUT_KEY})
        if isinstance(html, dict):
            meta["text/html"] = NotebookNode({k: v for k, v in html.items() if k != OUTPUT_KEY})
        return NotebookNode(output, metadata=meta)

    def lean_cell(cell):
        outputs = cell.get("outputs")
        if not outputs:
            return cell
        leaner = [lean_output(o) for o in outputs]
        return cell if all(a is b for a, b in zip(leaner, outputs)) else NotebookNode(cell, outputs=leaner)

    lean = NotebookNode(nb, cells=[lean_cell(c) for c in nb.get("cells", [])])
    record = nb.get("metadata", {}).get("briefkit")
    if isinstance(record, dict) and "claims" in record:
        lean["metadata"] = NotebookNode(nb["metadata"], briefkit=NotebookNode(
            {k: v for k, v in record.items() if k != "claims"}))
    return lean


class BriefPDFExporter(BriefHTMLExporter):
    """The brief as an A4 PDF, footnotes at the page bottom, through WeasyPrint."""

    export_from_notebook = "Brief (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return pdf(html), resources


# What briefkit does in place of WeasyPrint's (and pydyf's) own functions, each for the same pages
# with less work: see each module, and briefkit/patches.py.
SPARING = (pagetree, noteheights, stylesheets, svgpaths, svgstyles, linebreaks, cascade, percentages, arraytypes,
           pdfstreams)


def pdf(html: str) -> bytes:
    """The brief's HTML, paged by WeasyPrint, which fetches nothing but data: URIs and the
    template's own files (see briefkit.htmlsafety)."""
    check_fonts()
    with libraries_listed_once():
        import weasyprint  # imported here: only PDF export pays for it
    from weasyprint.urls import FatalURLFetchingError

    for spared in SPARING:  # each puts its function in place once, in the versions it knows
        spared.install()

    # Font subsetting may stamp the time into the embedded fonts; pin it so the same inputs
    # give the same bytes (fontTools honours SOURCE_DATE_EPOCH).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        options = pdf_options()
        # Every layout of this brief (paging lays it out again to mend it) parses its charts once
        # (cache), and finds the fonts this process has loaded already (font_config).
        with FONT_CONFIGURATIONS.lent() as fonts, linebreaks.remembered():
            layout = paging.lay_out(weasyprint.HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher(TEMPLATE)),
                                    **options, cache={}, font_config=fonts)
            return layout.document.write_pdf(**options)
    except FatalURLFetchingError as exc:
        raise (fetch_error(exc) or ExportError(f"PDF export failed in WeasyPrint: {exc}")) from None
    except Exception as exc:  # WeasyPrint raises many kinds; all mean the PDF was not made
        raise ExportError(f"PDF export failed in WeasyPrint: {type(exc).__name__}: {exc}") from exc
    finally:
        if epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch


@contextmanager
def libraries_listed_once():
    """While WeasyPrint is imported, ctypes finds a library by name in one `ldconfig -p` listing.

    WeasyPrint opens Pango, HarfBuzz and the rest by trying each platform's names in turn; on Linux
    every name the loader does not know makes ctypes run ldconfig, gcc and ld (54 runs, 87
    processes, about 0.2 s of CPU at every start of a worker or of `briefkit render`). Here a name
    not in the listing is simply not found, and WeasyPrint goes on to the soname it also tries
    (libpango-1.0.so.0), which the dynamic loader finds itself, $LD_LIBRARY_PATH included."""
    import ctypes.util

    if not sys.platform.startswith("linux") or not os.path.exists("/sbin/ldconfig"):
        yield
        return
    listing = None
    machine = os.uname().machine + ("-64" if sys.maxsize > 2**32 else "-32")
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
           "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")

    def find_library(name: str) -> str | None:  # ctypes.util's ldconfig step, on one listing
        nonlocal listing
        if listing is None:
            try:
                listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                                         env={"LC_ALL": "C", "LANG": "C"}).stdout
            except OSError:
                listing = ""
        found = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}", listing)
        return found.group(1) if found else None

    before = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = before


def pdf_options() -> dict:
    """What the PDF declares about itself. Title, Author, Subject (description), Keywords and the
    language come from the HTML's <title>, <meta> and <html lang>; the PDF is tagged (PDF/UA-1:
    headings, paragraphs, tables, figures with their alt text, notes), so a screen reader and a
    publisher's preflight can read its structure."""
    return {"pdf_identifier": b"briefkit", "uncompressed_pdf": False, "pdf_variant": "pdf/ua-1"}


class Kept:
    """Something a process keeps from brief to brief, lent to one thread at a time (a Dask worker
    renders briefs in several threads at once, and neither WeasyPrint's fonts nor an exporter may
    serve two at once). One that fails is not taken back; each is renewed after `uses` briefs, so
    that no cache of its grows for a whole batch."""

    def __init__(self, make, uses: int = 100):
        self.make, self.uses, self.free, self.lock = make, uses, [], threading.Lock()

    @contextmanager
    def lent(self):
        with self.lock:
            kept = self.free.pop() if self.free else [self.make(), 0]
        yield kept[0]
        kept[1] += 1
        if kept[1] < self.uses:
            with self.lock:
                self.free.append(kept)


def _font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


# The HTML exporter (its template compiled once) and WeasyPrint's font configuration (the fonts
# found, opened and measured once: a new one for each layout costs a sixth of it).
HTML_EXPORTERS = Kept(BriefHTMLExporter)
FONT_CONFIGURATIONS = Kept(_font_configuration)


EXPORTERS = {"html": BriefHTMLExporter, "pdf": BriefPDFExporter}
FORMATS = (*EXPORTERS, "docx")  # every format export() writes (docx: briefkit.docx, imported when asked for)


@lru_cache(maxsize=None)
def check_fonts() -> None:
    """Raise ExportError if a house font is missing: WeasyPrint would silently substitute another."""
    if shutil.which("fc-list") is None:
        return
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    missing = [f for f in FONTS if f not in listed]
    if missing:
        packages = " ".join(sorted({FONTS[f] for f in missing}))
        raise ExportError(
            f"Font {', '.join(missing)} is not installed, so the PDF cannot be set in the house style: "
            f"run ./setup.sh, or: sudo apt-get install {packages}")


# A page with what a brief's export first meets: the template, both house faces in roman, bold and
# italic, a footnote, and a paragraph long enough to be hyphenated.
SAMPLE = ('<section class="brief-section"><h2>Sample</h2><p>Warming <b>up</b> <i>the</i> exporters: '
          'characteristically interdisciplinary internationalisation<sup class="fn-call"><a>1</a></sup>'
          '<span class="fn">Sample note.</span> of comprehensive parliamentary cooperation, '
          'notwithstanding unprecedented counterproductive misunderstandings.</p>'
          '<table class="brief-table"><caption>Sample</caption><tr><th>Year</th><td>1</td></tr></table></section>')


def warm_up(formats) -> None:
    """Export SAMPLE once and throw it away: what stays loaded makes the next export quicker."""
    import nbformat

    page = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": SAMPLE})])])
    with HTML_EXPORTERS.lent() as exporter:
        html, _ = exporter.from_notebook_node(page, resources={"metadata": {"name": "-"}})
    if "pdf" in formats:
        pdf(html)


def export(nb, formats, directory: Path, stem: str) -> dict[str, Path]:
    """Write `stem`.html / .pdf / .docx into `directory`; return {format: path}. The HTML is made
    once: the PDF is that same page, paged, and the Word document that page through pandoc."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise ExportError(f'Unknown format "{fmt}"; briefkit writes: {", ".join(FORMATS)}')
    with HTML_EXPORTERS.lent() as exporter:
        html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": stem}})
    written = {}
    for fmt in formats:
        path = Path(directory) / f"{stem}.{fmt}"
        if fmt == "html":
            path.write_text(html, encoding="utf-8")
        elif fmt == "docx":
            from .docx import docx

            path.write_bytes(docx(html))
        else:
            path.write_bytes(pdf(html))
        written[fmt] = path
    return written
