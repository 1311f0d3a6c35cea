"""Chart SVG made quick to draw (briefkit.content.svg): the same picture, far fewer elements, and
what it does not recognise left as it was."""
from __future__ import annotations

import io
import re

import cairosvg
import matplotlib
import pytest
from matplotlib.figure import Figure
from PIL import Image, ImageChops

from briefkit.content import charts
from briefkit.content.svg import _moved, _outline, compact


def _chart() -> str:
    """matplotlib's own SVG of a chart like the brief's: two marked lines, ticks, a grid, a legend."""
    with matplotlib.rc_context(charts.STYLE):
        fig = Figure(figsize=(charts.WIDTH, 2.6), dpi=100)
        ax = fig.add_subplot()
        years = list(range(1980, 2021))
        for i, scale in enumerate((1.0, 1.3)):
            ax.plot(years, [scale * (y - 1975) ** 2 for y in years], color=charts.PALETTE[i],
                    linestyle=charts.DASHES[i], marker=charts.MARKERS[i], markersize=3, label=f"series {i}")
        ax.grid(axis="y")
        ax.legend()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _pixels(svg: str) -> Image.Image:
    return Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(), scale=3))).convert("RGB")


def _elements(svg: str) -> int:
    return len(re.findall(r"<[a-zA-Z]", svg))


def test_a_chart_draws_the_same_with_a_fraction_of_the_elements():
    raw = _chart()
    small = compact(raw)
    assert raw.count("<use") > 80 and "<use" not in small
    assert _elements(small) < _elements(raw) / 3
    before, after = _pixels(raw), _pixels(small)
    assert before.size == after.size
    diff = ImageChops.difference(before, after).convert("L")
    changed = sum(1 for v in diff.get_flattened_data() if v > 48)
    assert changed < before.size[0] * before.size[1] / 2000, f"{changed} pixels differ"


def test_its_text_stays_searchable_text():
    small = compact(_chart())
    assert re.findall(r"<text[^>]*>([^<]*)</text>", small)[:1] == ["1980"]
    assert "<metadata" not in small and "rotate(-0" not in small


def test_path_data_moved_to_each_place():
    assert _moved(_outline("M 0 0 L 0 3.5 z"), 10, 20) == "M 10 20 L 10 23.5 z"
    assert _moved(_outline("M -1.5 0 C -1.5 0.4 1e-3 2 0 2 z"), 1.5, -2) == "M 0 -2 C 0 -1.6 1.501 0 1.5 0 z"


OTHER = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
 <defs><path id="dot" d="m 0 0 l 1 1"/><path id="box" d="M 0 0 L 1 0 L 1 1 z"/>
  <clipPath id="clip"><rect width="5" height="5"/></clipPath></defs>
 <g id="kept" clip-path="url(#clip)"><use xlink:href="#dot" x="1" y="1"/></g>
 <g id="turned" transform="rotate(10)"><use xlink:href="#box" x="2" y="2" transform="scale(2)"/></g>
 <g id="named"><path d="M 0 0 L 2 2"/></g><use xlink:href="#named" x="3"/>
</svg>"""


def test_what_it_does_not_recognise_is_left_as_it_was():
    small = compact(OTHER)
    assert '<g id="kept" clip-path="url(#clip)"><use xlink:href="#dot" x="1" y="1" /></g>' in small  # relative commands
    assert 'transform="scale(2)"' in small and 'id="box"' in small  # a use with a transform
    assert '<g id="named">' in small  # a group some use points at
    assert 'id="turned"' in small


def _analyst_figure(kind: str) -> str:
    """matplotlib's SVG of the kinds of figure an analyst draws: an image with a math title, a
    hatched bar chart, a scatter in many colours, seaborn lines with markers per group."""
    import numpy as np
    import pandas as pd
    import seaborn as sns

    rng = np.random.default_rng(0)
    with matplotlib.rc_context(charts.STYLE):
        fig = Figure(figsize=(5, 3))
        ax = fig.add_subplot()
        if kind == "image":
            ax.imshow(rng.random((10, 10)))
            ax.set_title(r"$\alpha^2$ of the votes")
        elif kind == "hatched bars":
            ax.bar(range(5), [3, 4, 2, 5, 1], hatch="//", edgecolor="k")
        elif kind == "scatter":
            ax.scatter(rng.random(80), rng.random(80), c=rng.random(80), s=20)
        else:
            frame = pd.DataFrame({"year": list(range(30)) * 2, "value": rng.random(60), "side": ["a"] * 30 + ["b"] * 30})
            sns.lineplot(data=frame, x="year", y="value", hue="side", style="side", markers=True, ax=ax)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["image", "hatched bars", "scatter", "seaborn lines"])
def test_an_analysts_figure_draws_the_same(kind):
    raw = _analyst_figure(kind)
    small = compact(raw)
    assert _elements(small) < _elements(raw)
    diff = ImageChops.difference(_pixels(raw), _pixels(small)).convert("L")
    assert max(diff.get_flattened_data()) <= 48, kind
