"""The HTML in a real browser: Debian's chromium, headless, at a phone's width and a desktop's.

Screenshots of each brief at each width are kept in build/test-artifacts/ (README: Tests).
Skipped only when chromium is missing on a developer's machine; on CI (CI set) it must run.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import chromium
from conftest import DRAFTED_PAIRS, SEED_PAIRS

ARTIFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artifacts"
WIDTHS = (360, 1280)
PAIRS = (SEED_PAIRS[0], SEED_PAIRS[1], DRAFTED_PAIRS[0])

MEASURE = """(() => {
  const root = document.scrollingElement;
  const wide = [...document.querySelectorAll('article *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
    .slice(0, 5).map(e => e.tagName + '.' + e.className);
  const images = [...document.images];
  const contact = [...document.querySelectorAll('.contact-item')].map(e => e.getClientRects().length);
  const chartText = [...document.querySelectorAll('figure.chart img')].map(i => i.getBoundingClientRect().width / i.naturalWidth);
  return {scrollWidth: root.scrollWidth, innerWidth: innerWidth, wide: wide,
          images: images.length, broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt),
          contactLines: contact, title: document.title, lang: document.documentElement.lang,
          hyphens: getComputedStyle(document.querySelector('article p')).hyphens,
          chartScale: chartText};
})()"""

pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def browser():
    binary = chromium.find()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: on CI ./setup.sh installs it (Debian package chromium)")
        pytest.skip("chromium is not installed (./setup.sh installs it)")
    with chromium.Chromium(binary) as running:
        yield running


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("pair", PAIRS)
def test_html_in_chromium(six_briefs, browser, pair, width):
    shot = ARTIFACTS / f"{pair}-{width}.png"
    loaded = browser.load(six_briefs[pair]["html"], width, MEASURE, screenshot=shot)
    m = loaded.measures
    assert loaded.errors == []
    # A phone widens its layout viewport to content that does not fit: innerWidth must stay the window's.
    assert m["innerWidth"] == width and m["scrollWidth"] <= width, f"wider than the window: {m['wide']}"
    assert m["images"] >= 3 and m["broken"] == []
    assert m["contactLines"] in ([], [1] * len(m["contactLines"]))  # no phone or fax number broken
    assert m["lang"] == "en" and m["hyphens"] == "auto"
    assert m["title"] != pair and m["title"]
    # Chart text (8 pt, 10.7 px at full size) is drawn at 7.5 px or more: legible on a phone.
    assert all(scale * 8 * 4 / 3 >= 7.5 for scale in m["chartScale"]), m["chartScale"]
    assert shot.stat().st_size > 10_000


LAB = """(() => {
  const calls = [...document.querySelectorAll('.fn-call.follows')];
  const figures = [...document.querySelectorAll('figure.chart')];
  return {
    notesShown: [...document.querySelectorAll('.fn')].filter(e => getComputedStyle(e).display != 'none').length,
    calls: calls.length,
    commas: calls.filter(e => getComputedStyle(e, '::before').content == '","').length,
    figures: figures.length,
    captionsApart: figures.filter(f => f.querySelector('.caption').getBoundingClientRect().bottom
                                        <= f.querySelector('.source-line').getBoundingClientRect().top + 0.5).length,
  };
})()"""


def test_brief_reads_in_jupyterlab_outputs(six_briefs, browser, tmp_path):
    """The notebook's outputs as JupyterLab shows them (each in a .jp-OutputArea-output, without
    the exported page's stylesheet): notes wait for the list, calls in a row are separated by
    commas, captions and source lines sit on lines of their own."""
    import nbformat

    nb = nbformat.read(six_briefs["PAK-BLR"]["ipynb"], as_version=4)
    outputs = "".join(f'<div class="jp-OutputArea-output">{o["data"]["text/html"]}</div>'
                      for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
                      if "text/html" in o.get("data", {}))
    page = tmp_path / "lab.html"
    page.write_text(f"<!DOCTYPE html><html lang='en'><body>{outputs}</body></html>", encoding="utf-8")
    m = browser.load(page, 1280, LAB, screenshot=ARTIFACTS / "PAK-BLR-lab.png").measures
    assert m["notesShown"] == 0
    assert m["calls"] > 0 and m["commas"] == m["calls"]
    figures = len(re.findall(r'<figure class="chart"', outputs))   # three of trade, one of UN votes
    assert figures >= 3 and m["figures"] == figures and m["captionsApart"] == figures
