"""The pages as a reviewer looks at them, read by position (tests/pagecheck.py): every note on the
page of its call, no text outside the page, no heading at a page foot, no nearly empty page, no page
but the last left with a hole at its foot; and
what the PDF says about itself (title, author, subject, keywords, language, tags)."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import pagecheck
from conftest import DRAFTED_PAIRS, SEED_PAIRS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "layout"

def _cases():
    for pair in SEED_PAIRS + DRAFTED_PAIRS:
        for check in pagecheck.CHECKS:
            yield pytest.param(pair, check, id=f"{pair}-{check.replace(' ', '-')}")


@functools.lru_cache(maxsize=None)
def _pages(path: Path) -> list[pagecheck.Page]:
    return pagecheck.read(path)


@pytest.mark.parametrize(("pair", "check"), list(_cases()))
def test_pages_as_a_publisher_expects(six_briefs, pair, check):
    assert pagecheck.CHECKS[check](_pages(six_briefs[pair]["pdf"])) == []


def test_the_checks_find_what_a_reviewer_found():
    """Briefs as they were laid out before the paging passes, with the problems a reviewer listed."""
    pak_rus = pagecheck.read(FIXTURES / "PAK-RUS-unmended.pdf")
    found = pagecheck.notes_with_calls(pak_rus)
    assert "page 2: notes in the order [9, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]" in found
    assert "note 7: called on page 1, printed on page 2" in found

    ind_rus = pagecheck.read(FIXTURES / "IND-RUS-unmended.pdf")
    assert [p for p in pagecheck.notes_unbroken(ind_rus) if 'note line "9. "Direction" breaks before "of"' in p]
    assert pagecheck.pages_filled(ind_rus) == ["page 4 of 4: 17% of the text area filled"]

    pak_blr = pagecheck.read(FIXTURES / "PAK-BLR-unmended.pdf")
    assert "note 31: called on page 5, printed on page 6" in pagecheck.notes_with_calls(pak_blr)
    assert pagecheck.pages_filled(pak_blr) == ["page 6 of 6: 11% of the text area filled"]


def test_the_hole_a_figure_left_is_found():
    """KAZ-CHN as paging laid it out before figures floated past a section's end: figure 4 ends its
    section, does not fit on page 4 and leaves a third of it empty."""
    kaz_chn = pagecheck.read(FIXTURES / "KAZ-CHN-figure-hole.pdf")
    assert pagecheck.no_holes(kaz_chn) == ["page 4 of 5: 31% of the text area empty at its foot"]


def test_a_figure_ending_its_section_floats_past_the_next_heading(tmp_path):
    """A figure that ends its section and does not fit on the page opens the next page, and the next
    section's heading and text fill the page it left (no kernel: the house stylesheet)."""
    import weasyprint

    from briefkit import export, paging

    css = (export.TEMPLATES / "briefkit" / "brief.css").read_text(encoding="utf-8")
    filler = "<p>" + "Text of the section. " * 40 + "</p>"
    page = weasyprint.HTML(string=(
        f"<html lang='en'><head><style>{css}</style></head><body><article class='brief'>"
        f"<section><h2>Trade:</h2>{filler * 3}<figure class='chart'><div style='height: 300pt; background: #ccc'>"
        "</div><figcaption><span class='caption'>Figure 1 (Trade)</span></figcaption></figure></section>"
        f"<section><h2>Alignment:</h2>{filler * 2}</section>"
        f"<section><h2>Conclusion:</h2>{filler * 5}</section></article></body></html>"))  # a last page well filled
    assert pagecheck.foot_hole(_read(page.render(), tmp_path / "once.pdf")[0]) > 0.3  # the hole, unmended
    pages = _read(paging.lay_out(page).document, tmp_path / "paged.pdf")
    assert pagecheck.no_holes(pages, most=0.05) == []
    assert "Alignment:" in [line.text for line in pages[0].body]
    assert pages[1].body[0].text == "Figure 1 (Trade)" and pages[1].shapes[0][0] < pages[1].body[0].top
    assert pagecheck.no_heading_at_foot(pages) == []


def _read(document, path: Path) -> list[pagecheck.Page]:
    document.write_pdf(path)
    return pagecheck.read(path)


def test_a_heading_at_the_page_foot_is_found(tmp_path):
    """The heading check on a page made to end with a heading (WeasyPrint, no kernel)."""
    import weasyprint

    from briefkit.export import TEMPLATES

    css = (TEMPLATES / "briefkit" / "brief.css").read_text(encoding="utf-8")
    filler = "<p>" + "Text of the section. " * 40 + "</p>"
    page = (f"<html lang='en'><head><style>{css} h2 {{ break-after: page; }}</style></head><body>"
            f"<article class='brief'>{filler * 3}<h2>Conclusion:</h2>{filler}</article></body></html>")
    path = tmp_path / "heading.pdf"
    weasyprint.HTML(string=page).write_pdf(path)
    found = pagecheck.no_heading_at_foot(pagecheck.read(path))
    assert len(found) == 1 and found[0].endswith('ends with the heading "Conclusion:"')


def test_a_heading_goes_with_the_block_a_note_moves(tmp_path):
    """WeasyPrint moves a note called under a heading to the next page; paging starts that page with
    the block holding the call, and with its heading rather than leave the heading at the page foot
    (no kernel: the house stylesheet and a page made to end that way)."""
    import weasyprint

    from briefkit import export, paging

    css = (export.TEMPLATES / "briefkit" / "brief.css").read_text(encoding="utf-8")
    note = "<span class='fn'>" + "A long note on where the figures come from. " * 6 + "</span>"
    filler = "<p>" + "Text of the section. " * 40 + "</p>"

    def page(words: int) -> str:
        return (f"<html lang='en'><head><style>{css}</style></head><body><article class='brief'>"
                f"{filler * 2}<p>{'Words ' * words}</p><section><h2>Alignment at the UN:</h2><p>Votes{note} "
                + "placed the two countries apart. " * 30 + "</p></section></article></body></html>")

    # the length of text before the heading at which WeasyPrint moves the note away from its call
    displacing = [w for w in range(200, 420, 10) if paging.displaced_notes(weasyprint.HTML(string=page(w)).render())]
    assert displacing, "no length of text leaves the note away from its call: the page no longer tests the mend"
    path = tmp_path / "heading.pdf"
    layout = paging.lay_out(weasyprint.HTML(string=page(displacing[0])))
    layout.document.write_pdf(path)
    pages = pagecheck.read(path)
    assert pagecheck.notes_with_calls(pages) == []
    assert pagecheck.no_heading_at_foot(pages) == []
    assert [line.text for line in pages[1].body[:1]] == ["Alignment at the UN:"]


@pytest.mark.parametrize(("paragraphs", "pages", "fit", "layouts"), [
    (15, 3, "", 1),       # the last page well filled: laid out once
    (17, 3, "tight", 2),  # a few lines on a fourth page: taken up by the gentlest tighter setting
    (13, 3, "loose", 2),  # a third of a page left, more than a tighter setting takes up: set looser
])
def test_the_last_page_is_fitted_in_few_layouts(paragraphs, pages, fit, layouts):
    import weasyprint

    from briefkit import export, paging

    class Counted(weasyprint.HTML):
        made = 0

        def render(self, *args, **kwargs):
            self.made += 1
            return super().render(*args, **kwargs)

    css = (export.TEMPLATES / "briefkit" / "brief.css").read_text(encoding="utf-8")
    text = "<p>" + "Text of the section. " * 40 + "</p>"
    page = Counted(string=f"<html lang='en'><head><style>{css}</style></head><body>"
                          f"<article class='brief'>{text * paragraphs}</article></body></html>")
    layout = paging.lay_out(page)
    assert len(layout.document.pages) == pages and not paging.nearly_empty(layout.document)
    assert (layout.fit, page.made, layout.layouts) == (fit, layouts, layouts)


@pytest.mark.parametrize("again", ["", ".fn-again { font-size: 70%; }"])
def test_calls_of_two_sizes_are_found(tmp_path, again):
    """A first call and a call again of one note, set at one size by the house stylesheet; the check
    finds them when a rule sets the call again apart (as 70% of the text did, against 70% of the note)."""
    import weasyprint

    from briefkit.export import TEMPLATES

    css = (TEMPLATES / "briefkit" / "brief.css").read_text(encoding="utf-8")
    text = ("<p>Trade grew<span class='fn'>A note on trade.</span> between the two, and trade "
            "figures<sup class='fn-again'>1</sup> differ by side.</p>")
    path = tmp_path / "calls.pdf"
    weasyprint.HTML(string=f"<html lang='en'><head><style>{css} @media print {{ {again} }}</style></head><body>"
                           f"<article class='brief'>{text}</article></body></html>").write_pdf(path)
    found = pagecheck.calls_one_size(pagecheck.read(path))
    assert len(found) == (2 if again else 0), found


def test_text_outside_the_page_is_found(tmp_path):
    import weasyprint

    page = ("<html><head><style>@page { size: A4; margin: 20mm 20mm 22mm 20mm }</style></head><body>"
            "<p style='white-space: nowrap'>" + "unbreakable-" * 60 + "</p></body></html>")
    path = tmp_path / "wide.pdf"
    weasyprint.HTML(string=page).write_pdf(path)
    assert pagecheck.inside_page(pagecheck.read(path))


@pytest.mark.parametrize("pair", ["PAK-BLR", "IND-RUS"])
def test_pdf_says_what_it_is(six_briefs, pair):
    reader = PdfReader(six_briefs[pair]["pdf"])
    info = reader.metadata
    html = six_briefs[pair]["html"].read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    a, b = {"PAK-BLR": ("Pakistan", "Belarus"), "IND-RUS": ("India", "Russia")}[pair]
    expected = {"PAK-BLR": "Nearing 30 Years of Pakistan-Belarus Relations: An Assessment",
                "IND-RUS": "India-Russia Relations: A Data Brief"}[pair]
    assert title == expected
    assert info.title == expected
    assert info.author == ("Muhammad Taimur Fahad Khan" if pair == "PAK-BLR" else "briefkit")
    assert info.subject == f"Issue Brief on relations between {a} and {b}"
    assert info["/Keywords"] == f"{a}, {b}"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712  (a pypdf BooleanObject): a tagged PDF
    assert "/StructTreeRoot" in catalog
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # PDF/UA-1 declared in the XMP


@pytest.mark.parametrize("old", ["", ".fn::footnote-call { white-space: normal; }"])
def test_a_call_never_starts_a_line(tmp_path, old):
    """A value with two calls ("14%3,4") at the end of lines of every length: the house stylesheet
    keeps the second call's comma and number together, so no line begins with a call; as the calls
    were set before (breakable after the comma), some line does."""
    import weasyprint

    from briefkit.export import TEMPLATES

    css = (TEMPLATES / "briefkit" / "brief.css").read_text(encoding="utf-8")
    filler = "trade between the two states grew and fell again".split()
    text = "".join(f"<p>{' '.join((filler * 4)[:n])} down 14%<span class='fn'>First note.</span>"
                   f"<span class='fn follows'>Second note.</span> on the year before.</p>" for n in range(4, 34))
    path = tmp_path / "calls.pdf"
    weasyprint.HTML(string=f"<html lang='en'><head><style>{css} @media print {{ {old} }}</style></head><body>"
                           f"<article class='brief'>{text}</article></body></html>").write_pdf(path)
    found = pagecheck.no_call_starts_a_line(pagecheck.read(path))
    assert bool(found) == bool(old), found


def test_a_last_page_left_nearly_empty_by_the_mends_is_taken_up():
    """ARE-GAB as the batch drafted it: its first layout ends on a full fifth page, but floating its
    figures leaves the colophon alone there. How much a tighter setting must take up is read from the
    mended pages (the colophon's lines), not from the first layout's full page: set tighter, it ends
    on a filled fourth page (before: five pages, the last 5% filled)."""
    import weasyprint

    from briefkit import export, paging
    from briefkit.htmlsafety import fetcher

    html = (FIXTURES / "ARE-GAB-mended-onto-a-new-page.html").read_text(encoding="utf-8")
    layout = paging.lay_out(weasyprint.HTML(string=html, base_url=str(export.TEMPLATES),
                                            url_fetcher=fetcher(export.TEMPLATE)))
    assert not paging.nearly_empty(layout.document), f"{len(layout.document.pages)} pages, last nearly empty"
    assert (len(layout.document.pages), layout.fit) == (4, "tighter")
    assert paging._worst_hole(layout.document) < pagecheck.HOLE


def test_a_call_again_shows_its_notes_printed_number_after_a_figure_floats(tmp_path):
    """WeasyPrint numbers the notes in the order it meets their first calls. A figure whose source
    line calls a note, floated past text that calls another, swaps their numbers in print; a later
    call again of that other note must show its new number, not the one the HTML was written with."""
    import weasyprint

    from briefkit import export, paging

    css = (export.TEMPLATES / "briefkit" / "brief.css").read_text(encoding="utf-8")
    filler = "<p>" + "Text of the section. " * 40 + "</p>"

    def first(n, text):
        return f"<sup class='fn-call' id='fnref-{n}'><a href='#fn-{n}'>{n}</a></sup><span class='fn'>{text}</span>"

    again = "<sup class='fn-call again'><a href='#fn-3'>3</a></sup><sup class='fn-again'>3</sup>"
    page = weasyprint.HTML(string=(
        f"<html lang='en'><head><style>{css}</style></head><body><article class='brief'>"
        f"<section><h2>Trade:</h2><p>Trade grew{first(1, 'Trade note.')}.</p>{filler * 3}"
        "<figure class='chart'><div style='height: 300pt; background: #ccc'></div><figcaption>"
        f"<span class='caption'>Figure 1 (Trade)</span> <span class='source-line'>Source: figures{first(2, 'Figure note.')}</span>"
        f"</figcaption></figure></section>"
        f"<section><h2>Alignment:</h2><p>They vote apart{first(3, 'Alignment note.')}.</p>{filler * 2}</section>"
        f"<section><h2>Conclusion:</h2>{filler * 4}<p>As the votes showed{again}, they differ.</p></section>"
        "</article></body></html>"))
    pages = _read(paging.lay_out(page).document, tmp_path / "paged.pdf")
    assert "Alignment:" in [line.text for line in pages[0].body]  # the figure floated past the note
    printed = {line.text.split(" ", 1)[1]: line.words[0]["text"] for p in pages for line in p.notes}
    assert printed["Alignment note."] == "2." and printed["Figure note."] == "3."
    assert pages[-1].calls == [2]  # the call again, on the last page: note 2, as printed
    assert pagecheck.notes_with_calls(pages) == []
