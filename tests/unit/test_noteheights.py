"""Notes measured one at a time (briefkit.noteheights): WeasyPrint lays a brief's pages out exactly
as its own method does, laying each note out once instead of once for every note after it."""
from __future__ import annotations

import pytest
import weasyprint
from weasyprint.layout import LayoutContext

from briefkit import noteheights

CSS = """
@page { size: A5; margin: 15mm; @footnote { border-top: 0.5pt solid #999; padding-top: 0.4em; margin-top: 0.8em; } }
body { font: 10pt/1.45 "Noto Serif"; text-align: justify; hyphens: auto; }
.fn { float: footnote; footnote-policy: line; break-inside: avoid; font-size: 7.5pt; line-height: 1.3; overflow-wrap: anywhere; }
"""
NOTE = ('"Joint statement on the {n}th session of the intergovernmental commission", Ministry of Foreign '
        'Affairs, published on March {n}, 2020. https://example.org/{n}/{long}')


def _page(margin: str = "0") -> str:
    paragraphs = []
    for n in range(1, 41):
        note = NOTE.format(n=n, long="a" * (n % 7) * 9)
        paragraphs.append(f'<p>Paragraph {n} on trade, visits and agreements between the two states, long enough '
                          f'to take two or three lines of the page.<span class="fn">{note}</span> It goes on '
                          f'a little{"" if n % 3 else "<span class=fn>Short note " + str(n) + ".</span>"}.</p>')
    return f"<html lang=en><style>{CSS} .fn {{ margin-top: {margin} }}</style><body>{''.join(paragraphs)}</body></html>"


def _geometry(document) -> list[tuple]:
    """Every box of every page: its kind, place and size."""
    return [(number, type(box).__name__, round(box.position_y, 6), round(box.height, 6))
            for number, page in enumerate(document.pages)
            for box in page._page_box.descendants() if hasattr(box, "height")]


@pytest.fixture
def weasyprints_own(monkeypatch):
    assert noteheights.install(), "this WeasyPrint's footnote method is not the one briefkit knows: see KNOWN"
    ours = LayoutContext._update_footnote_area
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", ours.original)
    return ours


def test_pages_are_laid_out_exactly_as_weasyprint_does(weasyprints_own, monkeypatch):
    theirs = _geometry(weasyprint.HTML(string=_page()).render())
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", weasyprints_own)
    ours = _geometry(weasyprint.HTML(string=_page()).render())
    assert len({g[0] for g in ours}) >= 4  # several pages, each with several notes
    assert ours == theirs


def test_each_note_is_laid_out_once(weasyprints_own, monkeypatch):
    import weasyprint.layout

    areas = []
    original = weasyprint.layout.block_level_layout
    monkeypatch.setattr(weasyprint.layout, "block_level_layout",
                        lambda ctx, box, *a, **k: areas.append(box) or original(ctx, box, *a, **k))
    weasyprint.HTML(string=_page()).render()
    theirs = sum(len(area.children) for area in areas)  # notes laid out, counted in the areas laid out
    areas.clear()
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", weasyprints_own)
    weasyprint.HTML(string=_page()).render()
    ours = sum(len(area.children) for area in areas)
    assert ours <= 60 and theirs > 2 * ours, (ours, theirs)  # 53 notes


def test_notes_with_margins_are_left_to_weasyprint(weasyprints_own, monkeypatch):
    theirs = _geometry(weasyprint.HTML(string=_page(margin="2pt")).render())
    monkeypatch.setattr(noteheights, "_height", lambda *a: pytest.fail("a note with margins was measured alone"))
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", weasyprints_own)
    assert _geometry(weasyprint.HTML(string=_page(margin="2pt")).render()) == theirs
