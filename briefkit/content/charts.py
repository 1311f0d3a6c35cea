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
import seaborn as sns
from matplotlib.figure import Figure

from ..errors import DataPackageError
from .figures import Figures as Facts
from .notes import Ref

PALETTE = ["#1f5130", "#a4343a", "#6b8f71", "#d9a5a8"]  # deep green, maroon, and their light tints
STYLE = {
    "svg.fonttype": "none",          # text stays text: searchable in the PDF, and quick for WeasyPrint to draw
    "svg.hashsalt": "briefkit",      # stable element ids: same data, same bytes
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


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


def _svg(fig) -> str:
    buf = io.StringIO()
    # The tight box, measured once: savefig(bbox_inches="tight") would lay the figure out twice more.
    # Figures are made without pyplot, so no backend is switched and an analyst's own plots still show.
    tight = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
    fig.savefig(buf, format="svg", bbox_inches=tight, metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: inline SVG


def _axes(height: float = 2.9):
    fig = Figure(figsize=(6.4, height), dpi=100)
    ax = fig.add_subplot()
    ax.set_ylabel("US$ million")
    ax.set_xlabel("")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    return fig, ax


def trade_total(facts: Facts) -> Chart:
    data = _both_sides(facts)
    with matplotlib.rc_context(STYLE):
        fig, ax = _axes()
        sns.lineplot(data=data, x="year", y="total", hue="reported by", marker="o", markersize=3.5,
                     palette=PALETTE[:data["reporter"].nunique()], ax=ax)
        _legend_above(ax, "Total trade as reported by")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("")
        svg = _svg(fig)
    return Chart(_title("Bilateral Trade", facts), svg, _source_line(facts, data), _imf_refs(facts, data))


def trade_flows(facts: Facts) -> Chart:
    data = _both_sides(facts)
    na, nb = facts.pair.a["name"], facts.pair.b["name"]
    rows = []
    for _, r in data.iterrows():
        mine, other = (na, nb) if r["reporter"] == facts.a else (nb, na)
        rows.append({"year": r["year"], "value": r["exports"], "flow": f"{mine} to {other}",
                     "reported by": "exporter (FOB)"})
        rows.append({"year": r["year"], "value": r["imports"], "flow": f"{other} to {mine}",
                     "reported by": "importer (CIF)"})
    long = pd.DataFrame(rows).dropna(subset=["value"])
    with matplotlib.rc_context(STYLE):
        fig, ax = _axes(3.1)
        sns.lineplot(data=long, x="year", y="value", hue="flow", style="reported by",
                     style_order=["exporter (FOB)", "importer (CIF)"], palette=PALETTE[:long["flow"].nunique()], ax=ax, linewidth=1.3)
        _legend_above(ax, None)
        ax.set_xlabel("")
        ax.xaxis.get_major_locator().set_params(integer=True)
        svg = _svg(fig)
    return Chart(_title("Export-Import Data", facts), svg,
                 _source_line(facts, data), _imf_refs(facts, data))


def trade_annual(facts: Facts, years: int = 10) -> Chart:
    data = _both_sides(facts)
    last = int(data["year"].max())
    recent = data[data["year"] > last - years]
    with matplotlib.rc_context(STYLE):
        fig, ax = _axes()
        sns.barplot(data=recent, x="year", y="total", hue="reported by", palette=PALETTE[:recent["reporter"].nunique()], ax=ax)
        _legend_above(ax, "Total trade as reported by")
        ax.set_xlabel("")
        svg = _svg(fig)
    return Chart(_title("Bilateral Trade per annum", facts), svg, _source_line(facts, recent), _imf_refs(facts, recent))


def _legend_above(ax, title: str | None) -> None:
    """The legend in a row above the plot, where it can hide no data."""
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=min(len(labels), 4),
              frameon=False, fontsize=7.5, title=title, title_fontsize=7.5, alignment="left")


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
        svg = _svg(fig)
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
