"""The Pakistan-Belarus brief, rendered for real: what a reviewer sees in the PDF and the HTML."""
from __future__ import annotations

import html
import re

import pandas as pd
from pypdf import PdfReader


def test_render_writes_the_executed_notebook_html_and_pdf(pak_blr):
    assert pak_blr.pair == "PAK-BLR"
    made = {p.name for p in pak_blr.directory.iterdir()}   # other tests may add a Word copy to this folder
    assert {"PAK-BLR.claims.json", "PAK-BLR.html", "PAK-BLR.ipynb", "PAK-BLR.pdf"} <= made
    assert not any(name.startswith(".partial-") for name in made)
    assert pak_blr.files["pdf"].read_bytes().startswith(b"%PDF-")


def test_pdf_pages_are_a4_and_numbered(pak_blr, pdf_pages):
    reader = PdfReader(pak_blr.files["pdf"])
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    total = len(pdf_pages)
    assert total >= 3
    for number, text in enumerate(pdf_pages, start=1):
        assert f"{number} | {total}" in text


def test_pdf_front_matter(pdf_pages):
    first = pdf_pages[0]
    assert first.startswith("ISSUE BRIEF")
    assert "INSTITUTE OF STRATEGIC STUDIES ISLAMABAD" in first
    assert "Web: www.issi.org.pk Phone: +92-51-9204423, 24 Fax: +92-51-9204658" in first
    assert "NEARING 30 YEARS OF PAKISTAN-BELARUS RELATIONS: AN ASSESSMENT" in first
    assert "By Muhammad Taimur Fahad Khan Research Associate Centre for Strategic Perspectives (CSP), ISSI" in first
    assert "Edited by Dr Neelum Nigar" in first
    assert "February 2, 2024" in first
    assert "The views in this brief are the author's own" in first


def test_pdf_has_headed_sections_in_order(pdf_pages):
    text = " ".join(pdf_pages)
    headings = ["Political, Economic, Diplomatic & Military Cooperation:",
                "What Next? Steps to Enhance bilateral cooperation:", "Conclusion:"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


def test_pdf_figures_are_numbered_and_captioned_with_a_source_line(pdf_pages):
    text = " ".join(pdf_pages)
    assert "Figure 1 (Bilateral Trade between Pakistan & Belarus)" in text
    assert "Figure 2 (Export-Import Data between Pakistan & Belarus)" in text
    assert "Figure 3 (Bilateral Trade per annum between Pakistan & Belarus)" in text
    assert text.count("Source: International Monetary Fund, Direction of Trade Statistics (DOTS)") == 3


def test_a_footnote_is_at_the_bottom_of_the_page_that_calls_it(pdf_pages):
    note = ('"Minister of Foreign Affairs of Belarus S. Aleinik meets the Minister of Foreign Affairs of '
            'Pakistan", Ministry of Foreign Affairs of the Republic of Belarus, published on May 30, 2023.')
    pages = [i for i, text in enumerate(pdf_pages) if note in text and "Sergei Aleinik to Pakistan" in text]
    assert len(pages) == 1  # the source is cited more than once: the page of this call has its note
    page = pdf_pages[pages[0]]
    assert "Foreign Minister Sergei Aleinik to Pakistan in May 2023" in page
    assert page.index("Sergei Aleinik to Pakistan") < page.index(note)  # the note sits below the text


def test_accessed_form_for_an_undated_page(pdf_pages):
    text = " ".join(pdf_pages)
    assert ('"Overview of Pakistan-Belarus Bilateral Relations", Embassy of Pakistan Minsk – Belarus, '
            "accessed on December 2, 2023.") in text


def test_footnotes_are_numbered_continuously(pak_blr, html_text):
    numbers = [int(n) for n in re.findall(r'<sup class="fn-call(?: follows)?" id="fnref-(\d+)"', html_text)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 15


def test_numbers_in_prose_come_from_the_data_package(pdf_pages):
    text = " ".join(pdf_pages)
    statements = pd.read_csv("data/statements.csv").set_index("id")
    stated = statements.loc["pak-blr-2019-trade", "value"]
    assert re.search(rf"US\${stated:g} million\d* for 2019", text)  # \d*: the footnote call
    trade = pd.read_csv("data/trade.csv.gz")
    row = trade[(trade.reporter == "BLR") & (trade.partner == "PAK") & (trade.year == 2019)].iloc[0]
    assert re.search(rf"Belarus reported US\${row.exports_fob + row.imports_cif:.1f} million\d* of trade", text)


def test_no_code_in_the_pdf_or_html(pdf_pages, html_text):
    text = " ".join(pdf_pages)
    for code in ("brief.section", "Brief.open", "import ", "country_a =", "Traceback"):
        assert code not in text
        assert code not in html_text


def test_html_is_self_contained(html_text):
    assert "<script" not in html_text
    assert "<link" not in html_text
    assert not re.search(r"""src=["']https?:""", html_text)
    assert "@import" not in html_text
    assert html_text.count('src="data:image/svg+xml;base64,') == 4   # the analyst's three, UN alignment


def test_html_lists_the_notes_for_the_screen(html_text):
    assert '<section class="notes"><h2>Notes</h2>' in html_text
    first = re.search(r'<li id="fn-1" value="1">(.*?)</li>', html_text).group(1)
    assert html.unescape(re.sub("<[^>]+>", "", first)).startswith(
        '"Overview of Pakistan-Belarus Bilateral Relations", Embassy of Pakistan Minsk – Belarus, accessed on')


def test_executed_notebook_records_its_parameters(pak_blr):
    import nbformat

    nb = nbformat.read(pak_blr.files["ipynb"], as_version=4)
    assert nb.metadata["papermill"]["parameters"]["country_a"] == "PAK"
    assert nb.metadata["briefkit"]["parameters"]["country_b"] == "BLR"
    assert len(nb.metadata["briefkit"]["data_digest"]) == 64


def test_the_pdf_ends_with_a_colophon_saying_how_it_was_made(pak_blr, pdf_pages):
    import nbformat

    record = nbformat.read(pak_blr.files["ipynb"], as_version=4).metadata["briefkit"]
    last = pdf_pages[-1]
    assert "How this brief was made." in last
    assert f"from the data package with digest {record['data_digest'][:16]}" in last
    assert "with parameters country_a=PAK, country_b=BLR." in last
    assert f"papermill {record['versions']['papermill']}" in last
    if record.get("commit"):
        assert f"(commit {record['commit'][:12]})" in last


def test_the_saved_notebook_exports_to_the_same_html(pak_blr):
    """An analyst who exports the saved notebook again gets the page briefkit wrote (the libraries in
    the colophon in one order, though the notebook file keeps its metadata's keys sorted)."""
    import nbformat

    from briefkit.export import HTML_EXPORTERS

    with HTML_EXPORTERS.lent() as exporter:
        again, _ = exporter.from_notebook_node(nbformat.read(pak_blr.files["ipynb"], as_version=4),
                                               resources={"metadata": {"name": "PAK-BLR"}})
    assert again == pak_blr.files["html"].read_text(encoding="utf-8")


def test_a_batch_worker_does_not_search_the_package_for_a_warning_it_would_not_keep(tmp_path, monkeypatch):
    """render(warn=False), as batch workers call it, leaves the trade table unread in the worker
    (690,000 rows, ~0.2 s and ~100 MB per worker): the warning of an empty brief is the command
    line's alone, and the brief says so itself."""
    from briefkit import render as render_module

    searched = []
    monkeypatch.setattr(render_module, "holds_nothing", lambda *args: searched.append(args) or False)
    rendered = render_module.render("PAK", "BLR", output=tmp_path, formats=("html",), warn=False)
    assert rendered.files["html"].exists() and searched == []
    render_module.render("PAK", "BLR", output=tmp_path, formats=("html",))
    assert len(searched) == 1
