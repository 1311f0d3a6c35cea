"""briefkit.docx on a small page in the brief template's markup: real Word footnotes, figures as PNG
with their captions, tables, headings, title and author, non-Latin text kept. Runs pandoc, no kernel."""
from __future__ import annotations

import base64
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from docx_reading import body_text, core, footnotes, parts, styles_used  # noqa: E402

from briefkit.docx import docx  # noqa: E402

ARABIC = "باكستان وبيلاروس"
CJK = "巴基斯坦与白俄罗斯的贸易"
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">'
       '<rect x="10" y="10" width="120" height="80" fill="#1f4e79"/><text x="150" y="60">2019</text></svg>')
NOTES = [f'"Direction of Trade Statistics", IMF, accessed on February 2, 2022; {CJK}.',
         f"{ARABIC}, embassy page, accessed on December 2, 2023.",
         'Table source & <b>bold</b> note "quoted".',
         "Figure source note."]


def note(n: int, html_text: str) -> str:
    return (f'<sup class="fn-call" id="fnref-{n}"><a href="#fn-{n}">{n}</a></sup>'
            f'<span class="fn" data-source="s{n}">{html_text}</span>')


PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>PAK-BLR</title>
<style>.fn{{display:none}}</style></head><body><article class="brief">
<style>.jp-OutputArea-output .fn{{display:none}}</style>
<header class="front-matter"><div class="masthead"><div class="kicker">ISSUE BRIEF</div>
<div class="institute">INSTITUTE OF STRATEGIC STUDIES ISLAMABAD</div></div>
<h1 class="title">PAKISTAN AND BELARUS: AN ASSESSMENT</h1>
<div class="byline"><p class="by">By</p><p class="author">Muhammad Taimur Fahad Khan</p></div>
<p class="date">February 2, 2024</p></header>
<section class="brief-section" id="cooperation"><h2>Economic Cooperation:</h2>
<p>Trade reached US$34.4 million{note(1, NOTES[0].replace("&", "&amp;"))} in 2020 ({CJK}).</p>
<p>{ARABIC} have worked together{note(2, NOTES[1])}.</p>
<table class="brief-table"><caption>Table 1 (Visits){note(3, 'Table source &amp; <b>bold</b> note &quot;quoted&quot;.')}</caption>
<thead><tr><th>Year</th><th>Visit</th></tr></thead><tbody><tr><td>2015</td><td>Lukashenko in Islamabad</td></tr></tbody></table>
<figure class="chart" id="figure-1"><img alt="Figure 1" src="data:image/svg+xml;base64,{base64.b64encode(SVG.encode()).decode()}"/>
<figcaption><span class="caption">Figure 1 (Bilateral Trade)</span> <span class="source-line">Source: IMF.{note(4, NOTES[3])}</span></figcaption></figure>
</section>
<section class="notes"><h2>Notes</h2><ol><li id="fn-1">{NOTES[0]} <a class="back" href="#fnref-1">↩</a></li></ol></section>
</article></body></html>"""


def test_notes_become_real_word_footnotes_with_their_text():
    data = docx(PAGE)
    assert footnotes(data) == [n.replace("<b>", "").replace("</b>", "") for n in NOTES]
    text = body_text(data)
    assert "Notes" not in text and "↩" not in text  # the list is gone: the notes are footnotes now
    assert "Trade reached US$34.4 million in 2020" in text  # no note number or note text in the line


def test_non_latin_text_is_kept_in_body_and_footnotes():
    data = docx(PAGE)
    assert CJK in body_text(data) and ARABIC in body_text(data)
    assert CJK in footnotes(data)[0] and ARABIC in footnotes(data)[1]


def test_masthead_headings_table_figure_and_properties():
    data = docx(PAGE)
    text = body_text(data)
    assert text.startswith("ISSUE BRIEF INSTITUTE OF STRATEGIC STUDIES ISLAMABAD PAKISTAN AND BELARUS")
    styles = styles_used(data)
    assert {"Heading1", "Heading2", "TableCaption", "ImageCaption"} <= set(styles)
    assert "Lukashenko in Islamabad" in text and "Figure 1 (Bilateral Trade) Source: IMF." in text
    media = [name for name in parts(data) if name.startswith("word/media/")]
    assert len(media) == 1 and parts(data)[media[0]].startswith(b"\x89PNG")
    props = core(data)
    assert props["title"] == "PAKISTAN AND BELARUS: AN ASSESSMENT"
    assert props["creator"] == "Muhammad Taimur Fahad Khan"
    assert b'<w:pgSz w:w="11906" w:h="16838"/>' in parts(data)["word/document.xml"]  # A4


def test_the_same_page_gives_the_same_bytes():
    import io
    import zipfile

    data = docx(PAGE)
    assert data == docx(PAGE)
    # no time of the run anywhere: entries dated 1980, the document dated by the brief
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert core(data)["created"] == core(data)["modified"] == "2024-02-02T00:00:00Z"
