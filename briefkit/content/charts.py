"""The house chart style, and the brief's charts of a pair's trade.

Each chart is registered under a name used by prose ({{ figure:NAME }}) and the notebook. A chart
returns a Chart: the matplotlib figure, its caption title, the source line and the source ids.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..errors import DataPackageError
from .figures import Figures as Facts
from .notes import Ref
from .svg import compact
from .textmetrics import measured

# Okabe-Ito blue and orange: told apart with every common colour-vision deficiency, and a dark and
# a light grey in greyscale print. Series also differ by line style and marker, never by colour alone.
PALETTE = ["#0072B2", "#E69F00"]
DASHES = ["-", "--"]
MARKERS = ["o", "s"]
HATCHES = ["", "////"]
STYLE = {
    "svg.fonttype": "none",          # text stays text: searchable in the PDF, and quick for WeasyPrint to draw
    "svg.hashsalt": "briefkit",      # stable element ids: same data, same bytes
    "font.family": ["Noto Sans", "DejaVu Sans"],  # the page's sans; DejaVu only where Noto is missing
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
}
WIDTH = 5.4  # inches: printed at its own size (137 mm), so chart text is the size set above


@dataclass(frozen=True)
class Chart:
    title: str               # "Bilateral Trade between Pakistan & Belarus"
    svg: str
    source_line: str
    refs: tuple[Ref, ...]


def _both_sides(facts: Facts) -> pd.DataFrame:
    frames = []
    for code, name in ((facts.a, facts.pair.a["name"]), (facts.b, facts.pair.b["name"])):
        t = facts.series(code)
        t["reported by"] = name
        t["reporter"] = code
        frames.append(t)
    both = pd.concat(frames, ignore_index=True)
    both = both.dropna(subset=["total"])
    if both.empty:
        raise DataPackageError(
            f"No trade between {facts.a} and {facts.b} in the trade table: nothing to chart")
    return both


def to_svg(fig) -> str:
    buf = io.StringIO()
    # The tight box, measured once: savefig(bbox_inches="tight") would lay the figure out twice more.
    # Figures are made without pyplot, so no backend is switched and an analyst's own plots still show.
    with measured():  # the tick labels' sizes, measured once per kernel
        tight = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
        fig.savefig(buf, format="svg", bbox_inches=tight, metadata={"Date": None})
    return compact(buf.getvalue())  # no XML prolog or doctype: inline SVG


def _axes(height: float = 2.6):
    fig = Figure(figsize=(WIDTH, height), dpi=100)
    ax = fig.add_subplot()
    ax.set_ylabel("US$ million")
    ax.set_xlabel("")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(FuncFormatter(_number))
    return fig, ax


def _number(value: float, _pos=None) -> str:
    """An axis number as the prose prints it: 10,000 and 2.5, never 10000 or 2.500000."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def trade_total(facts: Facts) -> Chart:
    data = _both_sides(facts)
    with matplotlib.rc_context(STYLE):
        fig, ax = _axes()
        for i, (code, name) in enumerate(_sides(facts)):
            side = data[data["reporter"] == code]
            ax.plot(side["year"], side["total"], color=PALETTE[i], linestyle=DASHES[i], marker=MARKERS[i],
                    markersize=3, linewidth=1.4, label=name)
        _legend_above(ax, "Total trade as reported by")
        ax.xaxis.get_major_locator().set_params(integer=True)
        svg = to_svg(fig)
    return Chart(_title("Bilateral Trade", facts), svg, _source_line(facts, data), _imf_refs(facts, data))


def trade_flows(facts: Facts) -> Chart:
    """Each direction of trade in its colour; the exporter's report (FOB) solid, the importer's (CIF)
    dashed. One legend entry per line: which way the goods went, and who reports them."""
    data = _both_sides(facts)
    (a, na), (b, nb) = _sides(facts)
    series = [(a, "exports", na, nb, f"{na} to {nb} ({na}, FOB)"),
              (b, "imports", na, nb, f"{na} to {nb} ({nb}, CIF)"),
              (b, "exports", nb, na, f"{nb} to {na} ({nb}, FOB)"),
              (a, "imports", nb, na, f"{nb} to {na} ({na}, CIF)")]
    with matplotlib.rc_context(STYLE):
        fig, ax = _axes(2.9)
        for reporter, column, origin, _, label in series:
            side = data[data["reporter"] == reporter].dropna(subset=[column])
            i = 0 if origin == na else 1
            ax.plot(side["year"], side[column], color=PALETTE[i], marker=MARKERS[i], markersize=2.4,
                    linestyle=DASHES[0] if column == "exports" else DASHES[1], linewidth=1.2, label=label)
        # Two columns (one per direction) while they fit the chart's width; one for long names.
        columns = 2 if max(len(label) for *_, label in series) <= 30 else 1
        _legend_above(ax, "Goods shipped, as reported by the exporter (FOB) or the importer (CIF)", columns)
        ax.xaxis.get_major_locator().set_params(integer=True)
        svg = to_svg(fig)
    return Chart(_title("Export-Import Data", facts), svg,
                 _source_line(facts, data), _imf_refs(facts, data))


def trade_annual(facts: Facts, years: int = 10) -> Chart:
    data = _both_sides(facts)
    last = int(data["year"].max())
    recent = data[data["year"] > last - years]
    span = list(range(int(recent["year"].min()), last + 1))
    with matplotlib.rc_context(STYLE):
        fig, ax = _axes()
        width = 0.4
        for i, (code, name) in enumerate(_sides(facts)):
            side = recent[recent["reporter"] == code]
            ax.bar(side["year"] + (i - 0.5) * width, side["total"], width=width, color=PALETTE[i],
                   hatch=HATCHES[i], edgecolor="white", linewidth=0.4, label=name)
        ax.set_xticks(span, [str(y) for y in span])
        ax.tick_params(axis="x", length=0)
        _legend_above(ax, "Total trade as reported by")
        svg = to_svg(fig)
    return Chart(_title("Bilateral Trade per annum", facts), svg, _source_line(facts, recent), _imf_refs(facts, recent))


def _sides(facts: Facts) -> list[tuple[str, str]]:
    return [(facts.a, facts.pair.a["name"]), (facts.b, facts.pair.b["name"])]


def _legend_above(ax, title: str | None, columns: int = 4) -> None:
    """The legend in a row above the plot, where it can hide no data: a title, then one entry per series."""
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=min(len(labels), columns),
              frameon=False, title=title, title_fontsize=matplotlib.rcParams["legend.fontsize"], alignment="left",
              handlelength=2.6, columnspacing=1.4, borderaxespad=0.2)


def _title(what: str, facts: Facts) -> str:
    return f"{what} between {facts.pair.a['name']} & {facts.pair.b['name']}"


def _imf_refs(facts: Facts, data: pd.DataFrame) -> tuple[Ref, ...]:
    span = f"{int(data['year'].min())}-{int(data['year'].max())}"
    a, b = facts.pair.a["name"], facts.pair.b["name"]
    return tuple(dict.fromkeys(Ref(s, f"trade between {a} and {b}, {span}, as each side reports it")
                               for s in data["source"]))


def _source_line(facts: Facts, data: pd.DataFrame) -> str:
    """The chart's source line, naming each series' own source (not always the IMF)."""
    span = f"{int(data['year'].min())}-{int(data['year'].max())}"
    sources = facts.pair.sources
    names = []
    for sid in dict.fromkeys(data["source"]):
        if sid in sources.index:
            names.append(f"{sources.loc[sid, 'publisher']}, {sources.loc[sid, 'title']}")
        else:
            names.append(str(sid))
    line = f"Source: {'; '.join(names)}, {span}, US$ million, as reported by each side."
    if data["estimated"].any():
        line += " Some values are estimates."
    return line


def alignment_distance(facts: Facts) -> Chart:
    """The distance between the two ideal points in each UN General Assembly session both voted in."""
    from .rules.alignment import distances

    data = distances(facts)
    if len(data) < 2:
        raise DataPackageError(f"No UN ideal points of both {facts.a} and {facts.b} in two sessions: nothing to chart")
    source = str(facts.pair.ideal_points["source"].iloc[0])
    span = f"{int(data['year'].min())}-{int(data['year'].max())}"
    with matplotlib.rc_context(STYLE):
        fig, ax = _axes(2.6)
        ax.plot(data["year"].astype(int), data["distance"].astype(float), color=PALETTE[0], linewidth=1.3)
        ax.set_ylabel("Distance between ideal points")
        ax.set_ylim(bottom=0)
        ax.xaxis.get_major_locator().set_params(integer=True)
        svg = to_svg(fig)
    sources = facts.pair.sources
    name = (f"{sources.loc[source, 'author']}, {sources.loc[source, 'title']}" if source in sources.index
            else source)
    line = (f"Source: {name}; sessions {int(data['session'].min())}-{int(data['session'].max())} ({span}). "
            f"The distance is the absolute difference of the two states' ideal points: how far apart they vote, "
            f"not how friendly they are.")
    ref = Ref(source, f"ideal points of {facts.names[facts.a]} and {facts.names[facts.b]}, {span}")
    title = f"Distance between the UN Votes of {facts.pair.a['name']} & {facts.pair.b['name']}"
    return Chart(title, svg, line, (ref,))


CHARTS: dict[str, Callable[[Facts], Chart]] = {
    "trade_total": trade_total,
    "trade_flows": trade_flows,
    "trade_annual": trade_annual,
    "alignment_distance": alignment_distance,
}


def draw(name: str, facts: Facts) -> Chart:
    if name not in CHARTS:
        raise DataPackageError(f'Unknown figure "{name}"; known figures: {", ".join(CHARTS)}')
    return CHARTS[name](facts)
