"""Lines broken once per brief (briefkit.linebreaks): the same pages as WeasyPrint's own line
breaking, whatever the number of layouts, and never an answer given for another style."""
from __future__ import annotations

from functools import lru_cache

import pytest
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.layout import inline, preferred
from weasyprint.text import line_break

from briefkit import linebreaks

TEXT = ("Trade between the two countries grew in the decade to 2020, and both sides report it, though "
        "their figures differ by the cost of freight and insurance. ")
STYLE = """@page { size: A6; margin: 12mm; } body { font: 9pt/1.4 "Noto Serif"; text-align: justify; hyphens: auto; }
.fn { float: footnote; font-size: 7pt; } td { padding: 2pt; }"""


def _page(extra_style: str = "", body: str = "") -> weasyprint.HTML:
    paragraphs = "".join(f"<p>{TEXT * 3}<span class=fn>Note {n}: {TEXT}</span></p>" for n in range(6))
    table = "<table>" + "".join(f"<tr><td>{y}</td><td>{TEXT[:40]}</td></tr>" for y in range(2010, 2021)) + "</table>"
    return weasyprint.HTML(string=f"<html lang=en><style>{STYLE}{extra_style}</style><body>{paragraphs}{table}{body}"
                                  f"</body></html>")


FONTS = FontConfiguration()  # as paging lays a brief out: every layout with the same fonts


def _render(page: weasyprint.HTML):
    return page.render(font_config=FONTS)


def _pdf(document) -> bytes:
    return document.write_pdf(pdf_identifier=b"same", uncompressed_pdf=True)


@pytest.fixture
def calls(monkeypatch):
    """The calls that reached WeasyPrint's own split_first_line."""
    assert linebreaks.install(), "this WeasyPrint's split_first_line is not the one briefkit knows: see KNOWN"
    made, own = [], _weasyprints_own()

    def counting(*args, **kwargs):
        made.append(args[0])
        return own(*args, **kwargs)

    for module in (line_break, inline, preferred):
        monkeypatch.setattr(module, "split_first_line", linebreaks._remembering(counting))
    return made


@lru_cache(maxsize=1)
def _weasyprints_own():
    linebreaks.install()
    return line_break.split_first_line.original


def _own(monkeypatch, page: weasyprint.HTML) -> bytes:
    for module in (line_break, inline, preferred):
        monkeypatch.setattr(module, "split_first_line", _weasyprints_own())
    return _pdf(_render(page))


def test_a_second_layout_of_the_brief_breaks_no_line_again(calls):
    page = _page()
    with linebreaks.remembered():
        first = _render(page)
        asked = len(calls)
        again = _render(page)
        assert asked > 50 and len(calls) == asked
        assert _pdf(first) == _pdf(again)


def test_pages_are_those_of_weasyprints_own_line_breaking(calls, monkeypatch):
    page = _page()
    with linebreaks.remembered():
        _render(page)
        ours = _pdf(_render(page))
    assert ours == _own(monkeypatch, _page())


def test_a_property_that_changed_breaks_the_lines_again(calls, monkeypatch):
    """The second layout is set with wider word spacing (as copyfitting does): same texts and
    widths, another value of a property the line breaking reads."""
    page = _page()
    with linebreaks.remembered():
        _render(page)
        asked = len(calls)
        page.etree_element.set("data-fit", "loose")
        wider = _page("html[data-fit=loose] p { word-spacing: 1.5pt; }")
        wider.etree_element.set("data-fit", "loose")
        ours = _pdf(_render(wider))
        assert len(calls) > asked
    assert ours == _own(monkeypatch, wider)


def test_outside_a_brief_nothing_is_remembered(calls):
    page = _page()
    _render(page)
    asked = len(calls)
    _render(page)
    assert len(calls) == 2 * asked


def test_an_answer_is_the_callers_own(calls):
    """Each box gets a laid-aside layout of its own: one it changes is not the one remembered."""
    style = _render(_page()).pages[0]._page_box.children[0].style  # any computed style will do
    calls.clear()
    with linebreaks.remembered():
        first = line_break.split_first_line(TEXT, style, None, 200, 0)
        first[0].text = "changed"
        again = line_break.split_first_line(TEXT, style, None, 200, 0)
    assert again[0].text != "changed" and again[1:] == first[1:]
    assert len(calls) == 1
