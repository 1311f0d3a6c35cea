"""The Pakistan-Belarus brief as a Word document: as many real footnotes as the brief has notes,
with the same texts, in the same order as the HTML's notes list and the PDF's page-bottom notes."""
from __future__ import annotations

import html as htmllib
import re

import pytest
from docx_reading import body_text, core, footnotes, styles_used

from briefkit.docx import docx


@pytest.fixture(scope="module")
def word(html_text):
    return docx(html_text)


def html_notes(page: str) -> list[str]:
    """The texts of the HTML's Notes list, as a reader sees them (tags, the ↩ link and spacing left out)."""
    items = re.findall(r'<li id="fn-\d+"[^>]*>(.*?)</li>', page, re.S)
    return [re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="back".*?</a>', "", i))))
            .strip() for i in items]


def test_every_note_is_a_word_footnote_with_the_same_text(word, html_text):
    notes = html_notes(html_text)
    assert len(notes) >= 10
    assert footnotes(word) == notes


def test_the_footnotes_are_the_pdfs_notes(word, pdf_pages):
    """Each footnote's opening words are printed in the PDF, in the same order."""
    pdf = " ".join(pdf_pages).replace("-", "")
    at = 0
    for text in footnotes(word):
        opening = re.sub(r"\s+", " ", text[:40]).replace("-", "")
        found = pdf.find(opening, at)
        assert found >= 0, opening
        at = found


def test_the_word_copy_has_the_briefs_title_author_headings_figures_and_tables(word, html_text):
    props = core(word)
    assert props["title"] == "NEARING 30 YEARS OF PAKISTAN-BELARUS RELATIONS: AN ASSESSMENT"
    assert props["creator"] == "Muhammad Taimur Fahad Khan"
    text = body_text(word)
    plain = lambda fragment: htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()  # noqa: E731
    headings = [plain(h) for h in re.findall(r"<h2>(.*?)</h2>", html_text) if plain(h) != "Notes"]
    captions = [plain(c) for c in re.findall(r'<span class="caption">(.*?)</span>', html_text)]
    tables = re.findall(r"<caption>(Table \d+ \([^)<]*\))", html_text)
    assert len(headings) >= 3 and captions and tables
    for expected in headings + captions + [htmllib.unescape(t) for t in tables]:
        assert expected in text
    assert "Heading2" in styles_used(word) and "ImageCaption" in styles_used(word)
