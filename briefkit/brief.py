"""The brief in the notebook's kernel: one call per cell, each showing its part of the brief.

    brief = Brief.open("PAK", "BLR")
    brief.front_matter()          # masthead, title, byline, date, disclaimer
    brief.section("cooperation")  # the analyst's section, or the one briefkit drafts from the data
    brief.notes_list()            # the notes, for the screen; carries the claims ledger

The analyst's own additions, anywhere between the sections, each numbered with the brief:

    brief.markdown("Trade reached {{ trade:total:2022:PAK }} [@imf-dots].")   # or a Markdown cell
    brief.figure(fig, "Monthly exports", sources=["imf-dots"])   # a matplotlib or seaborn figure
    brief.table(frame, "Main goods, 2022", sources=["comtrade"])  # a DataFrame

The whole brief is drafted and numbered when it is opened (briefkit.content), so re-running any
cell, in any order, shows the same figure and note numbers as Run All. An addition takes its place
after the section shown before it; run again, a cell replaces what it added before.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from .content import document, html, ledger
from .content.front import brief_date, front_matter
from .content.placeholders import SECTIONS
from .datapackage import PairData, open_package
from .errors import DataPackageError

# In JupyterLab the brief is read in the notebook's outputs, without the exported page's stylesheet:
# the house rules that make it read properly there. Note texts wait for the Notes list at the end;
# calls in a row are separated by commas; captions and source lines sit on lines of their own.
# The selectors match only Lab's output area, so exported HTML and PDF are unaffected.
_LAB = ".jp-OutputArea-output"
LAB_STYLE = ("<style>"
             f"{_LAB} .fn,{_LAB} .fn-again{{display:none}}"
             f"{_LAB} .fn-call{{font-size:70%;line-height:0;vertical-align:super}}"
             f"{_LAB} .fn-call a{{text-decoration:none}}"
             f"{_LAB} .fn-call.follows::before{{content:','}}"
             f"{_LAB} .front-matter{{text-align:center}}"
             f"{_LAB} .contact-item{{white-space:nowrap}}"
             f"{_LAB} figure.chart{{margin:1em 0;text-align:center}}"
             f"{_LAB} figure.chart img{{width:100%;max-width:40rem;height:auto}}"
             f"{_LAB} figcaption .caption,{_LAB} figcaption .source-line{{display:block}}"
             f"{_LAB} figcaption .caption{{font-weight:700;margin-top:0.3em}}"
             f"{_LAB} figcaption .source-line{{font-size:85%;opacity:0.8}}"
             f"{_LAB} table.brief-table caption{{caption-side:bottom;font-weight:700;padding-top:0.4em}}"
             "</style>")


def prepare() -> None:
    """Compile the brief's sentence and HTML templates ahead of the first brief (the kernel does
    this before it reports ready, so the notebook's first cell does not wait for it)."""
    from .content import claims

    for name in claims.template_names():
        claims._env.get_template(f"{name}.j2")
    for name in html.TEMPLATE_NAMES:
        html._env.get_template(name)


def _cell_id() -> str | None:
    """The id of the notebook cell running now, where the front end sends it (JupyterLab does)."""
    try:
        from IPython import get_ipython

        return get_ipython().kernel.get_parent()["metadata"].get("cellId")
    except Exception:  # not in a kernel, or a front end that does not say
        return None


def _close(fig) -> None:
    """Close a pyplot figure, so the inline backend does not show it a second time."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")   # a figure made without pyplot has nothing to close
    if plt is not None:
        plt.close(getattr(fig, "figure", None) or getattr(fig, "fig", None) or fig)


@dataclass(frozen=True)
class Block:
    """One cell's share of the brief, as HTML."""

    html: str
    metadata: dict | None = None  # saved with the cell's output, e.g. the brief's title for the template

    def _repr_html_(self):
        return (self.html, self.metadata) if self.metadata else self.html

    def __repr__(self) -> str:  # the plain-text fallback stays empty: the brief is the HTML
        return ""


class Brief:
    def __init__(self, pair: PairData, as_of: dt.date | None = None, title: str | None = None,
                 author: str | None = None):
        self.pair = pair
        self.date = brief_date(pair, as_of)
        self.doc = document.build(pair, self.date)
        years = [int(y) for y in pair.trade["year"]] if len(pair.trade) else []
        self.doc.front = front_matter(pair, self.date, max(years) if years else None, title, author)
        self._shown = ""   # the section shown last: an addition is placed after it

    @classmethod
    def open(cls, country_a: str, country_b: str, data: str | None = None, as_of=None,
             title: str | None = None, author: str | None = None) -> "Brief":
        package = open_package(data)
        pair = package.pair(country_a, country_b)
        if pair.institute is None and "institutes" in package.resources:
            institutes = package.table("institutes")
            if len(institutes):
                pair = dataclasses.replace(pair, institute=institutes.iloc[0])
        if isinstance(as_of, str) and as_of:
            as_of = dt.date.fromisoformat(as_of)
        return cls(pair, as_of or None, title, author)

    @property
    def names(self) -> tuple[str, str]:
        return str(self.pair.a["name"]), str(self.pair.b["name"])

    @property
    def claims(self) -> dict:
        """The claims ledger of this brief (see briefkit.content.ledger)."""
        return ledger.ledger(self.doc)

    def front_matter(self) -> Block:
        meta = {"briefkit": {"title": self.doc.front["title"], "date": self.date.isoformat(),
                             "pair": self.doc.pair, "countries": list(self.names),
                             "author": ", ".join(line for cls, line in self.doc.front["byline"] if cls == "author")}}
        return Block(LAB_STYLE + html.front(self.doc), meta)

    def section(self, section_id: str) -> Block:
        """The analyst's prose for the section if there is any, else prose drafted from the data.

        A section with nothing to say is left out, heading and all.
        """
        if section_id not in SECTIONS:
            raise DataPackageError(f'"{section_id}" is not a brief section; use one of: {", ".join(SECTIONS)}')
        self._shown = section_id
        return Block(html.section(self.doc, section_id), {"briefkit_part": section_id})

    def markdown(self, text: str, cell: str | None = None) -> Block:
        """Analyst Markdown with placeholders and citations resolved and footnoted in sequence.
        briefkit render hands every Markdown cell after the brief is opened to this method."""
        from .content import notebook

        return self._place(cell or _cell_id() or f"markdown:{text}", notebook.markdown(self.doc.drafting[0], text))

    def figure(self, fig, caption: str, sources, name: str | None = None) -> Block:
        """A matplotlib or seaborn figure as "Figure N (caption)", with a source line and a note per
        source (ids of sources.csv). `name` lets prose point at it ({{ ref:figure:NAME }})."""
        from .content import notebook

        key = name or f"figure:{caption}"
        blocks = notebook.figure(self.doc.drafting[0], fig, caption, sources, key)
        _close(fig)   # shown once, as the brief's figure, not again by the inline backend
        return self._place(_cell_id() or key, blocks)

    def table(self, frame, caption: str, sources, name: str | None = None) -> Block:
        """A DataFrame as "Table N (caption)", with a note per source (ids of sources.csv)."""
        from .content import notebook

        key = name or f"table:{caption}"
        return self._place(_cell_id() or key, notebook.table(self.doc.drafting[0], frame, caption, sources, key))

    @staticmethod
    def chart_style():
        """The house chart style for the analyst's own figures, `with brief.chart_style(): ...`: the
        page's sans at the brief's chart sizes, on a figure as wide as the brief's own charts."""
        import matplotlib

        from .content.charts import STYLE, WIDTH

        return matplotlib.rc_context({**STYLE, "figure.figsize": (WIDTH, 2.6)})

    def _place(self, key: str, blocks: list) -> Block:
        placed = document.place(self.doc, key, self._shown, blocks)
        return Block(html.insert(self.doc, placed), {"briefkit_part": "notebook"})

    def notes_list(self) -> Block:
        """The notes for the screen; its output carries the claims ledger for the renderer."""
        return Block(html.notes(self.doc), {ledger.OUTPUT_KEY: self.claims})
