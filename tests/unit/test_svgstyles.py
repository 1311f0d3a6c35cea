"""SVG style strings read once by briefkit.svgstyles: the values WeasyPrint reads, the same PDF."""
from __future__ import annotations

from base64 import b64encode

import pytest
import weasyprint
from weasyprint.svg import css, utils

from briefkit import svgstyles


@pytest.fixture(scope="module")
def readers():
    assert svgstyles.install(), "this WeasyPrint's SVG style readers are not the ones briefkit knows: see KNOWN"
    import weasyprint.svg as svg

    return {"parse_declarations": svg.parse_declarations, "size": utils.size, "color": utils.color}


def test_one_reader_of_each_kind_serves_every_module(readers):
    import sys

    import weasyprint.svg as svg
    from weasyprint.svg import defs

    text = sys.modules["weasyprint.svg.text"]  # weasyprint.svg.text is also the name of its function
    assert svg.size is text.size is defs.size is utils.size is readers["size"]
    assert svg.color is defs.color is readers["color"]
    assert css.parse_declarations is readers["parse_declarations"].original  # stylesheets read their own


@pytest.mark.parametrize("style", [
    "fill: none; stroke: #0b3d6b; stroke-width: 0.8; stroke-linecap: square",
    "font: 7.5px 'Noto Sans'; text-anchor: middle", "fill: red !important; -moz-x: 1", "", "garbage ;;",
])
def test_declarations_are_weasyprints(readers, style):
    ours = readers["parse_declarations"]
    assert ours(style) == ours.original(style)
    assert ours(style) is ours(style)  # read once


@pytest.mark.parametrize("args", [
    ("0.8",), ("10px",), ("2em", 12), ("1.5rem", 10), ("3ex", 8), ("50%", None, 200), ("12pt",), ("1in",),
    ("",), (None,), ("-4.5 7",), ("weird",), ("7.5", 10, 100),
])
def test_sizes_are_weasyprints(readers, args):
    assert readers["size"](*args) == readers["size"].original(*args)


def test_a_size_weasyprint_cannot_read_fails_as_it_does(readers):
    with pytest.raises(AssertionError):
        readers["size"]("2em")  # no font size given
    with pytest.raises(AssertionError):
        readers["size"]("2em")  # and again: a failure is not kept


@pytest.mark.parametrize("string", ["#0b3d6b", "red", "rgba(0, 0, 0, 0.5)", "none", "", None, "currentColor"])
def test_colours_are_weasyprints_and_each_caller_gets_its_own(readers, string):
    ours, theirs = readers["color"](string), readers["color"].original(string)
    assert type(ours) is type(theirs) and str(ours) == str(theirs)
    if hasattr(ours, "alpha"):
        ours.alpha *= 0.25  # as WeasyPrint does for fill-opacity
        assert readers["color"](string).alpha == theirs.alpha


def test_what_is_kept_is_bounded(readers, monkeypatch):
    monkeypatch.setattr(svgstyles, "KEPT", 3)
    size = svgstyles._keeping(utils.size.original)
    for n in range(10):
        assert size(f"{n}px") == float(n)
    assert 0 < len(size.kept) <= 3


def _page() -> str:
    """An SVG as a chart writes it: styled paths, text, a colour with opacity, a dash pattern."""
    drawn = "".join(
        f'<path d="M 0 {y} L 300 {y}" style="fill: none; stroke: #0b3d6b; stroke-opacity: 0.{y}; '
        f'stroke-width: 0.8; stroke-dasharray: 3.7,1.6"/>'
        f'<text x="10" y="{y}" style="font: 7.5px \'Noto Sans\'; fill: #444444">Label {y}</text>'
        for y in range(10, 90, 10))
    image = (f'<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="100pt" viewBox="0 0 300 100">'
             f'<rect width="50%" height="1em" style="fill: red; fill-opacity: 0.5"/>{drawn}</svg>')
    return f'<html><body><img src="data:image/svg+xml;base64,{b64encode(image.encode()).decode()}"></body></html>'


def test_the_chart_is_drawn_as_weasyprint_draws_it(readers, monkeypatch):
    mine = weasyprint.HTML(string=_page()).write_pdf(pdf_identifier=b"same", uncompressed_pdf=True)
    import sys

    for name, modules in svgstyles.READERS.items():
        for module in modules:
            monkeypatch.setattr(sys.modules[module], name, readers[name].original)
    theirs = weasyprint.HTML(string=_page()).write_pdf(pdf_identifier=b"same", uncompressed_pdf=True)
    assert mine == theirs
    assert b" d\n" in mine and b"/ca 0.5" in mine  # the dashes and the fill's opacity were drawn at all
