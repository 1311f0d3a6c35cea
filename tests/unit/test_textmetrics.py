"""Chart labels measured once per kernel (briefkit.content.textmetrics): the sizes matplotlib
measures, measured again only when something the measure reads has changed."""
from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib import text as mtext
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import FontProperties

from briefkit.content import charts, textmetrics


@pytest.fixture
def measures(monkeypatch):
    """The texts FreeType measured (matplotlib's own function called) while the test runs."""
    monkeypatch.setattr(textmetrics, "_sizes", {})
    assert textmetrics._install(), "this matplotlib's text measure is not the one briefkit knows: see KNOWN"
    own, made = mtext._get_text_metrics_with_cache.original, []

    def counting(renderer, text, fontprop, ismath, dpi):
        made.append(text)
        return own(renderer, text, fontprop, ismath, dpi)

    monkeypatch.setattr(mtext, "_get_text_metrics_with_cache", textmetrics._keeping(counting))
    return made


def _font(size: float = 8) -> FontProperties:
    return FontProperties(family=["Noto Sans", "DejaVu Sans"], size=size)


def test_a_label_is_measured_once_whatever_the_renderer_of_the_chart(measures):
    with textmetrics.measured():
        sizes = {mtext._get_text_metrics_with_cache(RendererAgg(500, 300, 100), "2,000", _font(), False, 100)
                 for _ in range(3)}
    assert measures == ["2,000"] and len(sizes) == 1
    assert sizes == {RendererAgg(500, 300, 100).get_text_width_height_descent("2,000", _font(), False)}


def test_what_the_measure_reads_changes_the_size_kept(measures):
    agg = RendererAgg(500, 300, 100)
    with textmetrics.measured():
        for size, dpi in ((8, 100), (9, 100), (8, 72)):
            mtext._get_text_metrics_with_cache(agg, "1990", _font(size), False, dpi)
        with matplotlib.rc_context({"text.hinting": "none"}):
            mtext._get_text_metrics_with_cache(agg, "1990", _font(), False, 100)
        svg = RendererSVG(500, 300, io.StringIO())
        mtext._get_text_metrics_with_cache(svg, "1990", _font(), False, 100)
        mtext._get_text_metrics_with_cache(agg, r"$x^2$", _font(), True, 100)  # mathematical text: not kept
        mtext._get_text_metrics_with_cache(agg, r"$x^2$", _font(), True, 100)
    assert measures == ["1990"] * 5 + [r"$x^2$"] * 2


def test_an_analysts_figures_are_measured_as_matplotlib_measures_them(measures):
    agg = RendererAgg(500, 300, 100)
    mtext._get_text_metrics_with_cache(agg, "2,000", _font(), False, 100)
    mtext._get_text_metrics_with_cache(RendererAgg(500, 300, 100), "2,000", _font(), False, 100)
    assert measures == ["2,000", "2,000"] and not textmetrics._sizes


def test_a_chart_is_drawn_the_same_with_its_labels_measured_once(measures, monkeypatch):
    import pandas as pd

    def chart() -> str:
        with matplotlib.rc_context(charts.STYLE):
            fig, ax = charts._axes()
            frame = pd.DataFrame({"year": range(1990, 2021), "total": [float(v * v) for v in range(31)]})
            ax.plot(frame["year"], frame["total"], marker="o", label="Pakistan")
            charts._legend_above(ax, "Total trade as reported by")
            return charts.to_svg(fig)

    first, again = chart(), chart()
    assert first == again and len(measures) < 40
    monkeypatch.setattr(textmetrics, "measured", lambda: __import__("contextlib").nullcontext())
    monkeypatch.setattr(charts, "measured", textmetrics.measured)
    assert chart() == first
