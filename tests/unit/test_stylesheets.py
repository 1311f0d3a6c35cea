"""The brief's stylesheet parsed once per process (briefkit.stylesheets): every layout after the
first finds it parsed, and the pages come out as WeasyPrint's own parse lays them out."""
from __future__ import annotations

import pytest
import weasyprint
from weasyprint import css

from briefkit import patches, stylesheets

STYLE = """
@page { size: A5; margin: 18mm 15mm; @bottom-center { content: counter(page) " of " counter(pages); }
        @footnote { border-top: 0.5pt solid #999; } }
@page :first { margin-top: 30mm; }
body { font: 10pt/1.45 "Noto Serif"; }
h2 { break-after: avoid; color: #0b3d6b; } h2 + p { text-indent: 0; } p + p { text-indent: 1.5em; }
.fn { float: footnote; font-size: 7.5pt; }
"""


def _page(style: str = STYLE, extra: str = "") -> weasyprint.HTML:
    body = "".join(f"<h2>Part {n}</h2><p>Trade and visits, part {n}.<span class=fn>Note {n}.</span></p>"
                   f"<p>{'More on the part. ' * 30}</p>" for n in range(1, 12))
    return weasyprint.HTML(string=f"<html lang=en><style>{style}</style>{extra}<body>{body}</body></html>")


@pytest.fixture
def parses(monkeypatch):
    """The stylesheets parsed (CSS objects made from a string) while the test runs."""
    assert stylesheets.install(), "this WeasyPrint's find_stylesheets is not the one briefkit knows: see KNOWN"
    made = []
    original = css.CSS.__init__

    def counting(self, *args, **kwargs):
        made.append(kwargs.get("string"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(css.CSS, "__init__", counting)
    monkeypatch.setattr(stylesheets, "_parsed", {})
    return made


def _drawn(document) -> bytes:
    return document.write_pdf(pdf_identifier=b"same", uncompressed_pdf=True)


def test_the_house_stylesheet_is_parsed_once_for_every_layout(parses):
    first, again = _page().render(), _page().render()
    assert [s for s in parses if s] == [STYLE]
    assert _drawn(first) == _drawn(again)


def test_pages_come_out_as_weasyprints_own_parse_lays_them_out(parses, monkeypatch):
    ours = _page().render()  # parsed once, kept
    ours = _page().render()  # and laid out from the kept one: @page rules, margin boxes, footnotes
    monkeypatch.setattr(css, "find_stylesheets", css.find_stylesheets.original)
    own = _page().render()
    assert len(ours.pages) == len(own.pages) > 2
    assert _drawn(ours) == _drawn(own)


@pytest.mark.parametrize("page", [
    lambda: _page(STYLE + "@font-face { font-family: Mine; src: local('Noto Sans'); }"),
    lambda: _page(STYLE + "@counter-style mine { system: cyclic; symbols: '*'; }"),
    lambda: _page(extra="<style>p { color: #222 }</style>"),
], ids=["font-face", "counter-style", "two style elements"])
def test_what_registers_outside_the_sheet_or_comes_in_two_is_left_to_weasyprint(parses, page):
    page().render()
    page().render()
    assert len([s for s in parses if s]) >= 2  # parsed at each layout, as WeasyPrint does


def test_the_installed_weasyprint_is_the_one_the_cache_was_written_against():
    assert patches.digest(getattr(css.find_stylesheets, "original", css.find_stylesheets)) in stylesheets.KNOWN
