"""What the package holds for the pair, and the conclusion drawn only from judgements that passed
their guards. Missing rows are said to be missing from the package, never read as a finding."""
from __future__ import annotations

from .. import numbers
from ..claims import say
from ..guards import Checks
from ..settings import THRESHOLDS
from . import rule
from .agreements import in_force
from .alignment import distances
from .trade import latest

KINDS = (("visit", "high-level visit", "high-level visits"), ("agreement", "agreement", "agreements"),
         ("mechanism", "standing mechanism", "standing mechanisms"),
         (("defence", "energy"), "record of defence or energy ties", "records of defence or energy ties"))


def holdings(f) -> tuple[list[str], list[str]]:
    """What the package holds for the pair, and what it does not, in words."""
    held, missing = [], []
    years = f.years()
    if years:
        held.append(f"trade figures for {years[0]} to {years[-1]}" if len(years) > 1 else f"trade figures for {years[0]}")
    else:
        missing.append("trade figures")
    for kind, one, many in KINDS:
        n = len(f.events(kind))
        (held if n else missing).append(numbers.counted(n, one, many) if n else many)
    n = len(f.pair_statements())
    (held if n else missing).append(numbers.counted(n, "figure stated by other sources", "figures stated by other sources")
                                    if n else "figures stated by other sources")
    if f.pair.arms is not None:     # SIPRI's register is complete for major arms: held even when it lists no deal
        held.append("SIPRI's register of major arms transfers")
    if f.pair.ideal_points is not None:
        sessions = distances(f)["session"]
        (held if len(sessions) else missing).append(
            f"UN voting ideal points for sessions {int(sessions.min())} to {int(sessions.max())}" if len(sessions) > 1
            else "UN voting ideal points of both sides")
    if f.pair.agreements is not None:
        n = len(in_force(f))
        (held if n else missing).append(numbers.counted(n, "shared trade agreement in force", "shared trade agreements "
                                                        "in force") if n else "shared trade agreements in force")
    return held, missing


@rule("coverage.empty")
def empty(f):
    if f.years() or not f.events().empty or not f.pair_statements().empty:
        return None
    return say("coverage.empty", a=f.names[f.a], b=f.names[f.b], forums=not f.shared_memberships().empty)


@rule("conclusion.summary")
def summary(f):
    last = latest(f)
    if last is None:
        return None
    checks = Checks(f)
    trend = None
    for span in THRESHOLDS["trend_spans"]:
        start = last - span
        if all(f.change(c, start, last) is not None for c in (f.a, f.b)):
            if checks("direction_agrees", start, last):
                trend = {"word": "grew" if f.change(f.a, start, last).number > 0 else "fell", "start": start}
            break
    favoured = None
    if checks("balance_agrees", last):
        favoured = f.names[f.a] if f.number(f.a, last, "balance") > 0 else f.names[f.b]
    if trend is None and favoured is None:
        return None
    return say("conclusion.summary", checks.passed, a=f.names[f.a], b=f.names[f.b], trend=trend, end=last,
               favoured=favoured)


@rule("conclusion.coverage")
def coverage(f):
    held, missing = holdings(f)
    if not held:
        return None
    return say("conclusion.coverage", held=numbers.listed(held), missing=numbers.listed(missing, "or"))
