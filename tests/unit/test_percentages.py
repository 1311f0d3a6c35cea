"""Used lengths set by briefkit.percentages: what WeasyPrint's resolve_percentages sets, box for box."""
from __future__ import annotations

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import percent

from briefkit import percentages

# Every way a length reaches the function: lengths, percentages, em, auto, calc(), min/max sizes,
# each box-sizing, collapsed and separate table borders, page margins, lines and inline boxes.
PAGE = """<html><head><style>
@page { size: A5; margin: 10% 5mm; @top-center { content: "Head"; padding: 2% } }
body { margin: 2em 3% ; padding: 1%; font-family: "Noto Serif" }
p { width: 80%; min-width: 10em; max-width: calc(100% - 20px); padding: 0.5em 2%; border: 1px solid }
.bb { box-sizing: border-box; width: 50%; padding: 10px; border: 3px solid; min-height: 5%; max-height: 300px }
.pb { box-sizing: padding-box; width: 40%; padding: 5%; height: 30% }
.h { height: calc(10px + 5%); min-height: 2em; max-height: 50% }
table.c { border-collapse: collapse; width: 90% } td { border: 2px solid; padding: 3%; width: 30% }
table.s { border-spacing: 4px; } table.s td { border-width: 1px 2px 3px 4px; min-width: 20% }
span { padding: 0 1em; margin: 0 2% } img { width: 20%; max-width: 50px }
</style></head><body>
<p>A paragraph <span>with an inline box</span> and more words to break the line.</p>
<div class="bb">Border box</div><div class="pb">Padding box</div><div class="h">Heights</div>
<table class="c"><tr><td>1</td><td>2</td></tr></table>
<table class="s"><tr><td>3</td><td>4</td></tr></table>
<p style="margin: auto; width: auto">auto</p>
</body></html>"""


@pytest.fixture(scope="module")
def ours():
    assert percentages.install(), "this WeasyPrint's resolve_percentages is not the one briefkit knows: see KNOWN"
    return percent.resolve_percentages


def _boxes():
    document = weasyprint.HTML(string=PAGE).render()
    found = []
    for page in document.pages:
        found += [page._page_box, *page._page_box.descendants()]
    return found


@pytest.mark.parametrize("containing_block", ["box", (500, 700), (500, "auto"), (321.5, 0)])
def test_every_box_gets_what_weasyprints_own_function_gives_it(ours, containing_block):
    laid_out = _boxes()
    assert len({type(b) for b in laid_out}) >= 8  # pages, margins, blocks, lines, text, tables, cells, inline
    outer = laid_out[0]
    for box in laid_out:
        block = outer if containing_block == "box" else containing_block
        mine, theirs = box.copy(), box.copy()
        for attribute in ("border_top_width", "border_left_width"):  # as collapsed borders leave them
            if isinstance(box, boxes.TableCellBox) and box.style["border_collapse"] == "collapse":
                setattr(mine, attribute, 7.5)
                setattr(theirs, attribute, 7.5)
        try:
            ours.original(theirs, block)
        except (TypeError, AssertionError) as error:  # what WeasyPrint raises, ours raises too
            with pytest.raises(type(error)):
                ours(mine, block)
            continue
        ours(mine, block)
        assert vars(mine) == vars(theirs), type(box).__name__


def test_the_page_is_laid_out_as_weasyprint_lays_it_out(ours, monkeypatch):
    mine = weasyprint.HTML(string=PAGE).write_pdf(pdf_identifier=b"same")
    for name in percentages.READERS:
        monkeypatch.setattr(f"{name}.resolve_percentages", ours.original)
    theirs = weasyprint.HTML(string=PAGE).write_pdf(pdf_identifier=b"same")
    assert mine == theirs
