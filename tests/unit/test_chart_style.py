"""The house chart style, on the charts of real pairs (no kernel): the page's font, numbers with
thousands separators, a palette told apart by colour-blind readers and in greyscale, and legends
with one entry per line."""
from __future__ import annotations

import re

import pytest

from briefkit.brief import Brief
from briefkit.content import charts
from briefkit.content.figures import Figures


@pytest.fixture(scope="module")
def ind_rus():
    brief = Brief.open("IND", "RUS")
    return Figures(brief.pair, brief.date)


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_chart_text_is_set_in_the_page_font(ind_rus, name):
    svg = charts.draw(name, ind_rus).svg
    families = set(re.findall(r"font-family: ([^;\"]*)", svg))
    assert families == {"'Noto Sans', 'DejaVu Sans'"}


@pytest.mark.parametrize("name", [n for n in charts.CHARTS if n.startswith("trade_")])  # US$ axes
def test_axis_numbers_have_thousands_separators(ind_rus, name):
    texts = _texts(charts.draw(name, ind_rus).svg)
    numbers = [t for t in texts if re.fullmatch(r"[\d,.]+", t)]
    assert "2,000" in numbers or "8,000" in numbers  # India-Russia trade runs to US$ 10 billion
    years = {str(y) for y in range(1950, 2031)}
    assert not [t for t in numbers if re.fullmatch(r"\d{4,}", t) and t not in years]


def test_number_format():
    assert [charts._number(v) for v in (0, 10000, 2.5, 0.25, 1234567.0, -1000)] == \
        ["0", "10,000", "2.5", "0.25", "1,234,567", "-1,000"]


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_palette_reads_in_greyscale_and_without_red_green():
    first, second = charts.PALETTE[:2]
    assert abs(_luminance(first) - _luminance(second)) > 0.25  # two clearly different greys
    for colour in charts.PALETTE:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert not (g > r + 40 and g > b + 40), f"{colour} is a green"  # red against green: the worst pair
    assert charts.DASHES[0] != charts.DASHES[1] and charts.MARKERS[0] != charts.MARKERS[1]


def test_series_differ_by_colour_and_line_style(ind_rus):
    svg = charts.draw("trade_total", ind_rus).svg
    strokes = set(re.findall(r"stroke: (#[0-9a-f]{6})", svg))
    assert {c.lower() for c in charts.PALETTE[:2]} <= strokes
    assert "stroke-dasharray" in svg  # the second reporter's line is dashed


def test_flows_legend_names_each_line_and_no_group(ind_rus):
    texts = _texts(charts.draw("trade_flows", ind_rus).svg)
    legend = [t for t in texts if " to " in t]
    assert legend == ["India to Russia (India, FOB)", "India to Russia (Russia, CIF)",
                      "Russia to India (Russia, FOB)", "Russia to India (India, CIF)"]
    assert not {"flow", "reported by"} & set(texts)


def test_totals_legend_is_titled_with_one_entry_per_reporter(ind_rus):
    texts = _texts(charts.draw("trade_annual", ind_rus).svg)
    assert "Total trade as reported by" in texts
    assert "India" in texts and "Russia" in texts
