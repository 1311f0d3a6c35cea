"""What an analyst hands to the brief from the notebook, as the brief's own blocks.

    markdown(f, text)                          paragraphs with placeholders and citations resolved
    figure(f, fig, "Caption", ["imf-dots"])    a matplotlib (or seaborn) Figure, captioned and sourced
    table(f, frame, "Caption", ["imf-dots"])   a DataFrame, captioned and sourced

Each becomes the same kind of block as a drafted one, so it is numbered with the brief's figures,
tables and notes (briefkit.content.document.place puts it in its place). A figure or table names
the sources.csv rows it draws on: every number a brief prints traces back to a source.
"""
from __future__ import annotations

import numbers as _numbers

import matplotlib
import pandas as pd

from ..errors import DataPackageError, did_you_mean
from . import charts
from .document import FigureBlock, TableBlock, analyst
from .notes import Ref
from .placeholders import ProseSection
from .tables import TableData


def markdown(f, text: str) -> list:
    """Analyst Markdown (`{{ … }}` placeholders, `[@source]` citations, `{{ figure:NAME }}` lines)."""
    if not isinstance(text, str):
        raise DataPackageError(f"brief.markdown takes the Markdown text as a string, not {type(text).__name__}")
    return analyst(f, ProseSection("notebook", "", text.strip(), 1)).blocks


def figure(f, fig, caption: str, sources, name: str) -> list:
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        fig = getattr(fig, "figure", None) or getattr(fig, "fig", None)   # an Axes, or seaborn's FacetGrid
    if not isinstance(fig, Figure):
        raise DataPackageError("brief.figure takes a matplotlib Figure (plt.gcf(), or a seaborn plot's .figure)")
    refs = _refs(f, sources, "figure")
    with matplotlib.rc_context({k: charts.STYLE[k] for k in ("svg.fonttype", "svg.hashsalt")}):
        svg = charts.to_svg(fig)
    return [FigureBlock(name, charts.Chart(_caption(caption, "figure"), svg, source_line(f, refs), refs))]


def table(f, frame, caption: str, sources, name: str) -> list:
    if not isinstance(frame, pd.DataFrame):
        raise DataPackageError(f"brief.table takes a pandas DataFrame, not {type(frame).__name__}")
    refs = _refs(f, sources, "table")
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    header = tuple(str(c) for c in frame.columns)
    columns = [column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    rows = tuple((cells, refs) for cells in zip(*columns)) if columns else ()
    return [TableBlock(name, TableData(_caption(caption, "table"), header, rows), own=True)]


def column(values: pd.Series) -> list[str]:
    """A column's cells as the brief prints numbers: 12,345 and 1,234.50 (two decimals for the whole
    column when any has a fraction), years as 2022; nothing for a missing value."""
    numeric = [v for v in values if _is_number(v)]
    whole = all(float(v).is_integer() for v in numeric)
    years = whole and numeric and all(1800 <= v <= 2100 for v in numeric)
    out = []
    for v in values:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append("")
        elif not _is_number(v):
            out.append(str(v))
        elif years:
            out.append(str(int(v)))
        else:
            out.append(f"{int(v):,}" if whole else f"{v:,.2f}")
    return out


def _is_number(value) -> bool:
    return isinstance(value, _numbers.Number) and not isinstance(value, bool) and not pd.isna(value)


def source_line(f, refs) -> str:
    sources = f.pair.sources
    names = [f"{sources.loc[r.source, 'publisher']}, {sources.loc[r.source, 'title']}" for r in refs]
    return f"Source{'s' if len(names) > 1 else ''}: {'; '.join(dict.fromkeys(names))}."


def _caption(caption, kind: str) -> str:
    if not isinstance(caption, str) or not caption.strip():
        raise DataPackageError(f'brief.{kind} needs a caption: brief.{kind}(..., caption="What it shows", sources=[...])')
    return caption.strip()


def _refs(f, sources, kind: str) -> tuple[Ref, ...]:
    if isinstance(sources, str):
        sources = [sources]
    ids = [str(s) for s in (sources or ())]
    if not ids:
        raise DataPackageError(f'brief.{kind} needs the sources it draws on: sources=["id", ...] '
                               "with ids of sources.csv (add a row there for a new source)")
    known = [str(i) for i in f.pair.sources.index]
    for sid in ids:
        if sid not in known:
            hint = did_you_mean(sid, known)
            raise DataPackageError(f'Unknown source "{sid}" in brief.{kind}{hint}: '
                                   "add a row with that id to sources.csv")
    return tuple(Ref(sid) for sid in dict.fromkeys(ids))
