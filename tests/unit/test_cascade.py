"""The cascade weighed once per set of matched rules (briefkit.cascade): the same pages as
WeasyPrint's own cascade, with style attributes, !important, layers and pseudo-elements."""
from __future__ import annotations

import pytest
import weasyprint
from weasyprint import css

from briefkit import cascade, stylesheets

STYLE = """
@layer base, house;
@layer base { p { color: #333; margin: 0 0 4pt; } }
@layer house { p { color: #0b3d6b; } }
@page { size: A6; margin: 12mm; }
body { font: 9pt/1.4 "Noto Serif"; }
h2 { font-size: 11pt; break-after: avoid; } h2 + p { text-indent: 0; } p + p { text-indent: 1.2em; }
p.lead { font-weight: bold !important; } p { font-weight: normal; }
li::marker { color: #c00; } h2::before { content: "§ "; } .fn { float: footnote; font-size: 7pt; }
td { color: #900; } td { color: #009; } td:first-child { font-style: italic; } tr:nth-child(even) td { background: #eee; }
"""


def _page() -> weasyprint.HTML:
    parts = "".join(
        f"<h2>Part {n}</h2><p class=lead>Trade and visits, part {n}.<span class=fn>Note {n}.</span></p>"
        f"<p>{'More on the part. ' * 12}</p><p style='color: #060'>Said by one side.</p>"
        f"<ul><li>First</li><li>Second</li></ul>" for n in range(1, 7))
    table = "<table>" + "".join(f"<tr><td>{y}</td><td align=right>{y * 3}</td></tr>" for y in range(2010, 2020)) + "</table>"
    return weasyprint.HTML(string=f"<html lang=en><style>{STYLE}</style><body>{parts}{table}</body></html>")


def _pdf(page: weasyprint.HTML, hints: bool = False) -> bytes:
    return page.write_pdf(pdf_identifier=b"same", uncompressed_pdf=True, presentational_hints=hints)


@pytest.fixture
def ours(monkeypatch):
    assert cascade.install(), "this WeasyPrint's StyleFor is not the one briefkit knows: see KNOWN"
    monkeypatch.setattr(cascade, "_weighed", {})
    return css.StyleFor.__init__


@pytest.mark.parametrize("hints", [False, True])
def test_pages_are_those_of_weasyprints_own_cascade(ours, monkeypatch, hints):
    mine, again = _pdf(_page(), hints), _pdf(_page(), hints)  # the second from the kept sets
    monkeypatch.setattr(css.StyleFor, "__init__", ours.original)
    own = _pdf(_page(), hints)
    assert mine == again == own


def test_each_set_of_matched_rules_is_weighed_once(ours):
    """Across layouts too: the brief's stylesheet is parsed once per process (briefkit.stylesheets),
    so its rules are the same objects at every layout."""
    assert stylesheets.install()
    _page().render()
    sets = len(cascade._weighed)
    elements = sum(1 for _ in _page().etree_element.iter())
    assert 0 < sets < elements / 3
    _page().render()
    assert len(cascade._weighed) == sets


def test_an_element_with_a_style_of_its_own_is_weighed_apart(ours):
    """Paragraphs match the same rules; the one with a style attribute keeps its own colour, and no
    other paragraph takes it, whichever is styled first."""
    document = _page().render()
    colours = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if getattr(box, "element_tag", None) == "p" and box.element.get("class") != "lead":
                colours.setdefault(bool(box.element.get("style")), set()).add(str(box.style["color"]))
    assert len(colours[True]) == len(colours[False]) == 1 and colours[True] != colours[False]
