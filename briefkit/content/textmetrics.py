"""Chart labels measured once per kernel: "2,000", "1990", "US$ million" and the legend's names.

matplotlib keeps the sizes of the texts it measured with one renderer, and a chart meets two (the
tight box is measured with Agg, the SVG drawn with another), each new for each chart: a brief's
four charts measured the same tick labels eight times with FreeType, a tenth of the kernel's time
for a brief. Within measured() (briefkit's own charts), a text's size is kept for the kernel's life,
keyed by everything the measure reads: the kind of renderer and its dpi, the text, the font
properties, the font files they resolve to, and the hinting and kerning settings; mathematical
text is measured as before. Figures an analyst draws in the notebook are measured as matplotlib
measures them, as is everything under a matplotlib whose function is not the one this was written
against (KNOWN).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import matplotlib
from matplotlib import font_manager
from matplotlib import text as mtext

from .. import patches

KNOWN = {"389092335954145a"}  # matplotlib.text._get_text_metrics_with_cache of matplotlib 3.11
KEPT = 20_000  # sizes kept at most (a world of briefs repeats far fewer labels)
_sizes: dict = {}
_on: ContextVar[bool] = ContextVar("briefkit_text_metrics", default=False)


@contextmanager
def measured():
    """While a briefkit chart is laid out and drawn, sizes measured once are kept."""
    _install()
    token = _on.set(True)
    try:
        yield
    finally:
        _on.reset(token)


def _install() -> bool:
    return patches.replace(mtext, "_get_text_metrics_with_cache", KNOWN, _keeping)


def _keeping(original):
    def metrics(renderer, text, fontprop, ismath, dpi):
        if not _on.get() or ismath is not False:
            return original(renderer, text, fontprop, ismath, dpi)
        key = _key(renderer, text, fontprop, dpi)
        found = _sizes.get(key)
        if found is None:
            found = original(renderer, text, fontprop, ismath, dpi)
            if len(_sizes) >= KEPT:
                _sizes.clear()
            _sizes[key] = found
        return found

    return metrics


def _key(renderer, text: str, fontprop, dpi) -> tuple:
    rc = matplotlib.rcParams
    base = getattr(renderer, "_renderer", renderer)  # the SVG backend wraps its renderer
    files = tuple(font_manager.fontManager._find_fonts_by_props(fontprop))
    return (type(base), getattr(base, "dpi", None), dpi, text, fontprop.copy(), files,
            rc["text.hinting"], rc["text.hinting_factor"], rc["text.kerning_factor"])
