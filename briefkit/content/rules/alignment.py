"""Alignment at the UN: how far apart the two sides vote in the General Assembly.

The measure is the distance between the two states' ideal points (Bailey, Strezhnev and Voeten): a
position on one dimension estimated from each session's recorded votes. A distance says how far
apart two states vote, not how friendly they are; the sentences say so. Where the pair stands is its
distance ranked among all pairs of members of the same session; the trend compares the latest session
with the one `alignment_span` sessions before, and uses direction words only where the distance moved
by more than `alignment_change`.
"""
from __future__ import annotations

import pandas as pd

from ... import alignment
from ..claims import say
from ..guards import Checks, guard
from ..notes import Ref
from ..settings import THRESHOLDS
from ..values import Row, Value
from . import rule


def distances(f) -> pd.DataFrame:
    """Session, year, both ideal points and their distance, for every session both have a point
    (worked out once per pair)."""
    if "_ideal_distances" not in f.__dict__:
        points = f.pair.ideal_points
        if points is None or points.empty:
            found = pd.DataFrame(columns=["session", "year", f.a, f.b, "distance"])
        else:
            found = alignment.distances(points, f.a, f.b)
        f.__dict__["_ideal_distances"] = found
    return f.__dict__["_ideal_distances"]


def _rows(f, session: int) -> tuple[Row, ...]:
    if "_ideal_sources" not in f.__dict__:
        points = f.pair.ideal_points
        f.__dict__["_ideal_sources"] = dict(zip(zip(points["country"].astype(str), points["session"].astype(int)),
                                                points["source"].astype(str)))
    sources = f.__dict__["_ideal_sources"]
    return tuple(Row("un_ideal_points", (("country", code), ("session", int(session))), sources[(code, int(session))])
                 for code in (f.a, f.b))


def _ref(f, row: pd.Series) -> Ref:
    return Ref(_rows(f, int(row["session"]))[0].source,
               f"ideal points of {f.names[f.a]} and {f.names[f.b]}, session {int(row['session'])} ({int(row['year'])})")


def distance_value(f, row: pd.Series) -> Value:
    return Value(f"{float(row['distance']):.2f}", (_ref(f, row),), number=float(row["distance"]), unit="ideal_points",
                 measure="distance", year=int(row["year"]), reporter=f.a, partner=f.b,
                 rows=_rows(f, int(row["session"])))


@guard("alignment_moved")
def alignment_moved(f, first: float, last: float) -> bool:
    """The distance moved by more than the threshold: only then is it said to narrow or widen."""
    return abs(last - first) > THRESHOLDS["alignment_change"]


@rule("alignment.standing")
def standing(f):
    """The latest session's distance and where it stands among all pairs of that session."""
    table = distances(f)
    if table.empty or not f.pair.ideal_sessions:
        return None
    last = table.iloc[-1]
    session = int(last["session"])
    points = f.pair.ideal_sessions.get(session)
    if points is None or len(points) < 3:
        return None
    found = alignment.standing(points, float(last["distance"]))
    farther = (found.pairs - found.closer - found.tied) / found.pairs * 100
    ref = Ref(_ref(f, last).source, f"ideal points of all {len(points)} members, session {session} ({int(last['year'])})")
    share = Value(f"{farther:.0f}%", (ref,), number=farther, unit="percent", measure="pairs_farther",
                  year=int(last["year"]), reporter=f.a, partner=f.b, rows=_rows(f, session))
    return say("alignment.standing", a=f.names[f.a], b=f.names[f.b], session=session, year=int(last["year"]),
               distance=distance_value(f, last), share=share, pairs=f"{found.pairs:,}", closest=found.closer == 0)


@rule("alignment.trend")
def trend(f):
    """The distance now against `alignment_span` sessions before (or the nearest session after it)."""
    table = distances(f)
    if len(table) < 2:
        return None
    last = table.iloc[-1]
    earlier = table[table["session"] >= int(last["session"]) - THRESHOLDS["alignment_span"]]
    first = earlier.iloc[0]
    if int(first["session"]) == int(last["session"]):
        return None
    checks = Checks(f)
    moved = checks("alignment_moved", float(first["distance"]), float(last["distance"]))
    word = None
    if moved:
        word = "narrowed" if last["distance"] < first["distance"] else "widened"
    return say("alignment.trend", checks.passed, a=f.names[f.a], b=f.names[f.b], word=word,
               start=int(first["year"]), end=int(last["year"]),
               first=distance_value(f, first), last=distance_value(f, last))
