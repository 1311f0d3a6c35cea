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
from .citations import Notes, Ref, long_date, present
from .datapackage import PairData, open_package
from .errors import DataPackageError

SECTIONS = ("opening", "history", "cooperation", "multilateral", "challenges", "next", "conclusion")
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}|[ \t]*\[@([A-Za-z0-9][A-Za-z0-9_-]*)\]")  # a citation hugs the word before it
HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[a-z]+)\}\s*$", re.M)
TOKEN = "\ue000{}\ue001"
MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})
# In JupyterLab the brief is read in the notebook's outputs, without the exported page's stylesheet:
# the house rules that make it read properly there. Note texts wait for the Notes list at the end;
# calls in a row are separated by commas; captions and source lines sit on lines of their own.
# The selectors match only Lab's output area, so exported HTML and PDF are unaffected.
_LAB = ".jp-OutputArea-output"
LAB_STYLE = ("<style>"
             f"{_LAB} .fn{{display:none}}"
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
        # An analyst's brief carries its own date; a drafted one is dated by the data it is drafted
        # from (the package's "created"), so the same data give the same brief on any day.
        if front is not None:
            self.date = pd.Timestamp(front["date"]).date()
        elif pair.created:
            self.date = pd.Timestamp(pair.created).date()
        else:
            self.date = dt.date.today()
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
                             zip(("author", "designation", "centre"), lines) if present(v))
            editor = (f'<p class="editor">Edited by <strong>{e(front["editor"])}</strong></p>'
                      if present(front.get("editor")) else "")
            contact = " ".join(f'<span class="contact-item">{label}: {e(str(inst[k]))}</span>' for label, k in
                               (("Web", "web"), ("Phone", "phone"), ("Fax", "fax")) if present(inst.get(k)))
            masthead = (f'<div class="kicker">ISSUE BRIEF</div>'
                        f'<div class="institute">{e(inst["name"].upper())}</div>'
                        f'<div class="contact">{contact}</div>')
            disclaimer = inst["disclaimer"]
        meta = {"briefkit": {"title": title, "date": self.date.isoformat(),
                             "pair": f"{self.pair.codes[0]}-{self.pair.codes[1]}",
                             "author": front["author"] if front is not None else None,
                             "countries": list(self.names)}}
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
        """The analyst's prose for the section if there is any, else prose drafted from the data.

        A section with nothing to say is left out, heading and all.
        """
        if section_id not in SECTIONS:
            raise DataPackageError(f'"{section_id}" is not a brief section; use one of: {", ".join(SECTIONS)}')
        sec = self.sections.get(section_id)
        if sec is not None:
            title = sec.title
            body = "".join(self._block(chunk, sec) for chunk in re.split(r"\n\s*\n", sec.body) if chunk.strip())
        else:
            title = DRAFTED_TITLES.get(section_id, "")
            body = "".join(getattr(self, f"_draft_{section_id}")())
        if not body:
            return Block("")
        heading = "" if section_id == "opening" else f"<h2>{html.escape(_heading(title))}</h2>"
        return Block(f'<section class="brief-section" id="{section_id}">{heading}{body}</section>')

    def _block(self, chunk: str, sec: Section) -> str:
        """One paragraph of analyst Markdown (or a figure/table line): placeholders become values
        with footnotes. Within a paragraph each source row is footnoted once, where first used.
        """
        whole = re.fullmatch(r"\{\{\s*(figure|table):([a-z_]+)\s*\}\}", chunk.strip())
        if whole:
            return self.figure(whole.group(2)).html if whole.group(1) == "figure" else self.table(whole.group(2)).html
        cited: set = set()
        pieces: list[str] = []

        def replace(m: re.Match) -> str:
            if m.group(2):
                pieces.append(self._calls((Ref(m.group(2)),), cited))
            else:
                try:
                    value = factlib.resolve(self.facts, m.group(1))
                except DataPackageError as exc:
                    raise DataPackageError(f'{exc} (prose section "{sec.id}", near line {sec.line})') from None
                pieces.append(self._value(value, cited))
            return TOKEN.format(len(pieces) - 1)

        rendered = MARKDOWN.render(PLACEHOLDER.sub(replace, chunk))
        return _comma_separated(re.sub("\ue000(\\d+)\ue001", lambda m: pieces[int(m.group(1))], rendered))

    def _value(self, value: factlib.Value, cited: set) -> str:
        return html.escape(value.text) + self._calls(value.refs, cited)

    def _calls(self, refs, cited: set) -> str:
        """Footnote calls for refs not yet cited here; calls in a row are separated by commas."""
        calls = []
        for ref in refs:
            if ref not in cited:
                cited.add(ref)
                calls.append(self.notes.cite(ref).call_html(follows=bool(calls)))
        return "".join(calls)

    def _paragraphs(self, paragraphs) -> str:
        """Drafted paragraphs (text and Values) as HTML; text is escaped, values footnoted."""
        out = []
        for parts in paragraphs:
            cited: set = set()
            out.append("<p>" + "".join(html.escape(p) if isinstance(p, str) else self._value(p, cited)
                                       for p in parts) + "</p>")
        return _comma_separated("".join(out))

    # ---- drafted sections: what the data say, where no analyst has written -----------------------
    def _draft_opening(self):
        yield self._paragraphs(factlib.opening(self.facts))

    def _with_table(self, paragraphs, table: str):
        """The paragraphs and, when there are any, the table that lists what they speak of."""
        text = self._paragraphs(paragraphs)
        if text:
            yield text
            yield self.table(table).html

    def _draft_history(self):
        yield from self._with_table(factlib.history(self.facts), "timeline")

    def _draft_cooperation(self):
        f = self.facts
        yield self._paragraphs(factlib.visits(f))
        yield self.table("visits").html
        yield self._paragraphs(factlib.agreements(f))
        yield self.table("agreements").html
        yield self._paragraphs(factlib.mechanisms(f))
        trade = factlib.trade(f)
        if trade:
            yield "<h3>Trade</h3>"
            yield self._paragraphs(trade[:1])
            if self._chartable():
                yield self.figure("trade_total").html
            yield self._paragraphs(trade[1:])
            if self._chartable():
                yield self.figure("trade_flows").html
                yield self.figure("trade_annual").html
            composition = factlib.composition(f)
            if composition:
                yield self._paragraphs(composition)
                yield self.table("products").html
        defence = factlib.defence(f)
        if defence:
            yield "<h3>Defence and Energy</h3>"
            yield self._paragraphs(defence)

    def _draft_multilateral(self):
        yield from self._with_table(factlib.multilateral(self.facts), "memberships")

    def _draft_challenges(self):
        yield self._paragraphs(factlib.challenges(self.facts))

    def _draft_next(self):
        return iter(())  # what to do next is the analyst's call; drafted briefs leave it out

    def _draft_conclusion(self):
        yield self._paragraphs(factlib.conclusion(self.facts))

    def _chartable(self) -> bool:
        """Charts only where they show something: two or more years, and more than negligible trade."""
        years = self.facts.years()
        if len(years) < 2:
            return False
        peak = max(self.facts.trade_by_year(c)["total"].max(skipna=True) for c in self.pair.codes)
        return bool(pd.notna(peak) and peak >= factlib.TINY)

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
            f'<span class="source-line">{html.escape(chart.source_line)}{self._calls(chart.refs, set())}</span>'
            f'</figcaption></figure>')

    def table(self, name: str) -> Block:
        builders = {"visits": self._visits, "agreements": self._agreements, "timeline": self._timeline,
                    "memberships": self._memberships, "products": self._products}
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
        refs = tuple(dict.fromkeys(s if isinstance(s, Ref) else Ref(s) for _, sources in rows for s in sources))
        return Block(f'<table class="brief-table"><caption>{html.escape(caption)}{self._calls(refs, set())}'
                     f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def _visits(self):
        rows = [([factlib.event_date(ev["date"]), _or(ev["person"]), _or(ev["role"]), _or(ev["place"])], (ev["source"],))
                for _, ev in self.facts.pair_events("visit").iterrows()]
        return "High-level Visits", ["Date", "Visitor", "Office", "Visiting"], rows

    def _agreements(self):
        rows = [([factlib.event_date(ev["date"]), ev["title"]], (ev["source"],))
                for _, ev in self.facts.pair_events("agreement").iterrows()]
        return "Agreements", ["Signed", "Agreement"], rows

    def _timeline(self):
        kinds = ("recognition", "relations", "embassy", "agreement", "mechanism", "session", "defence", "energy")
        rows = [([factlib.event_date(ev["date"]), ev["title"]], (ev["source"],))
                for _, ev in self.facts.pair_events(kinds).iterrows()]
        return "Milestones in Relations", ["Date", "Milestone"], rows

    def _memberships(self):
        a, b = self.names
        rows = []
        for _, m in self.facts.shared_memberships().iterrows():
            name = self._organisation_name(m["organisation"])
            rows.append(([name, _since(m["start_year_a"], m["status_a"]), _since(m["start_year_b"], m["status_b"])],
                         (m["source_a"], m["source_b"])))
        return "Shared Memberships", ["Organisation", f"{a}", f"{b}"], rows

    def _products(self):
        rows = [([str(r["year"]), self.facts.names[r["exporter"]], f'{r["code"]} {r["description"]}',
                  factlib.usd_million(r["value_usd"] / 1e6)], (r["ref"],))
                for _, r in factlib.main_products(self.facts).iterrows()]
        return "Main Goods Traded", ["Year", "Exporter", "Product", "Value"], rows

    def _organisation_name(self, org_id: str) -> str:
        names = self.pair.organisations
        return f"{names.get(org_id, org_id)} ({org_id})" if names.get(org_id, org_id) != org_id else org_id

    # ---- notes ---------------------------------------------------------------------------------
    def notes_list(self) -> Block:
        return Block(self.notes.html() if self.notes.notes else "")


DRAFTED_TITLES = {
    "history": "Historical Background",
    "cooperation": "Political, Economic, Diplomatic & Military Cooperation",
    "multilateral": "Multilateral Cooperation",
    "challenges": "Challenges",
    "next": "What Next? Steps to Enhance bilateral cooperation",
    "conclusion": "Conclusion",
}


ADJACENT_CALL = re.compile(r'(</span>)<sup class="fn-call" (id="fnref-\d+"><a [^>]*>\d+</a></sup>)<span class="fn" ')


def _comma_separated(text: str) -> str:
    """Footnote calls that follow one another with no text between are printed 19,20 (not 1920)."""
    while True:
        marked = ADJACENT_CALL.sub(r'\1<sup class="fn-call follows" \2<span class="fn follows" ', text)
        if marked == text:
            return text
        text = marked


def _or(value, blank: str = "") -> str:
    return str(value) if present(value) else blank


def _since(year, status) -> str:
    label = "member" if status == "full" else str(status).replace("_", " ")
    return f"{label} since {int(year)}" if present(year) else label


def _heading(title: str) -> str:
    return title if title.endswith((":", "?")) else f"{title}:"
