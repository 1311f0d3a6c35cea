"""Long unbreakable strings (a title, prose, an event title, a URL in a note) stay on the page.

A 200-character word, which no hyphenation pattern can break, is put in each place; the PDF's words
are then read with their positions (pdftotext -bbox): none may cross the page's text margins.
"""
from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from briefkit.render import render

ROOT = Path(__file__).resolve().parent.parent
WORD = "Qz7Kx_9vbW" * 20   # 200 characters
MARGIN = 20 * 72 / 25.4      # the template's left and right page margins, 20 mm, in points


def edit(package: Path, table: str, key: str, wanted: str, column: str, value) -> None:
    path = package / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = frame[key] == wanted
    assert rows.any()
    frame.loc[rows, column] = frame.loc[rows, column].map(value)
    frame.to_csv(path, index=False, lineterminator="\n")


@pytest.fixture(scope="module")
def long_brief(tmp_path_factory):
    data = tmp_path_factory.mktemp("long") / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("trade.csv.gz"))
    trade = pd.read_csv(ROOT / "data" / "trade.csv.gz", dtype=str, keep_default_na=False)
    keep = trade["reporter"].isin(["PAK", "BLR"]) | trade["partner"].isin(["PAK", "BLR"])
    with gzip.open(data / "trade.csv.gz", "wt", encoding="utf-8", newline="") as f:
        trade[keep].to_csv(f, index=False, lineterminator="\n")
    edit(data, "briefs", "pair", "PAK-BLR", "title", lambda v: f"{v} {WORD}")
    edit(data, "events", "id", "pak-blr-embassy-islamabad", "title", lambda v: f"{v} {WORD}")
    edit(data, "sources", "id", "pakemb-minsk-overview", "url", lambda v: f"https://example.org/{WORD}")
    prose = data / "prose" / "PAK-BLR.md"
    text = prose.read_text(encoding="utf-8")
    first = text.index("\n\n", text.index("## "))
    prose.write_text(f"{text[:first]}\n\nA word of the analyst: {WORD}.{text[first:]}", encoding="utf-8")
    return render("PAK", "BLR", output=tmp_path_factory.mktemp("out"), data=data)


def words(pdf: Path) -> list[tuple[int, float, float, float, str, float]]:
    """(page, xMin, xMax, page width, text, yMin) of every word pdftotext finds."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found, page, width = [], 0, 0.0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
            width = float(re.search(r'width="([\d.]+)"', line)[1])
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if m:
            found.append((page, float(m[1]), float(m[3]), width, m[4], float(m[2])))
    return found


def test_every_word_of_the_pdf_stays_within_the_text_margins(long_brief):
    placed = words(long_brief.files["pdf"])
    pieces = [w for w in placed if "Qz7Kx" in w[4].replace("QZ7KX", "Qz7Kx")]
    assert len(pieces) > 10, "the long word is in the PDF, broken over lines"
    outside = [w for w in placed if w[1] < MARGIN - 1 or w[2] > w[3] - MARGIN + 1]
    assert outside == []


def test_the_running_header_keeps_to_one_line_within_the_page(long_brief):
    header = [w for w in words(long_brief.files["pdf"]) if w[0] == 2 and w[5] < MARGIN]  # in the top margin
    assert header and header[0][4] == "NEARING", "the running header is on page 2"
    assert len({w[5] for w in header}) == 1, "on one line"
    last = header[-1][4].rstrip("…")
    assert WORD.upper().startswith(last) and len(last) < len(WORD), "the title is cut short (with an ellipsis)"
    assert all(MARGIN - 1 <= w[1] and w[2] <= w[3] - MARGIN + 1 for w in header)


def test_the_html_breaks_long_words_and_fixes_table_widths(long_brief):
    html = long_brief.files["html"].read_text(encoding="utf-8")
    style = html[html.index("<style>"):html.index("</style>")]
    assert re.search(r"\.brief[^{]*\{[^}]*overflow-wrap: anywhere", style)
    assert "table.brief-table { table-layout: fixed; }" in style
    assert WORD in html
