"""Relations on record: the opening hook, history, visits, agreements, mechanisms, defence ties."""
from __future__ import annotations

from .. import numbers
from ..claims import say
from ..guards import Checks
from ..notes import Ref, present
from ..settings import THRESHOLDS
from ..values import Value
from . import rule
from .trade import latest, reporters

MILESTONES = ("recognition", "relations", "embassy", "agreement", "mechanism", "session")


def _names(f) -> dict:
    return {"a": f.names[f.a], "b": f.names[f.b]}


def _on(date: str) -> str:
    """'on February 3, 1994' but 'in July 2014' and 'in 1994'."""
    return "on" if len(str(date)) == 10 else "in"


@rule("opening.anniversary")
def anniversary(f):
    relations = f.events("relations")
    if relations.empty:
        return None
    row = relations.iloc[0]
    years = f.as_of.year - int(str(row["date"])[:4])
    if years <= 0 or years % 5:
        return None
    count = Value(numbers.ordinal(years), (Ref(str(row["source"])),), number=years, unit="years",
                  measure="anniversary", year=f.as_of.year, rows=f.event_value(row).rows)
    return say("opening.anniversary", year=f.as_of.year, count=count, date=f.event_value(row), on=_on(row["date"]),
               **_names(f))


@rule("opening.recent_contact")
def recent_contact(f):
    recent = f.events(("visit", "session"))
    recent = recent[recent["date"].str[:4].astype(int) >= f.as_of.year - THRESHOLDS["recent_years"]]
    if recent.empty:
        return None
    row = recent.iloc[-1]
    return say("opening.recent_contact", kind=row["kind"], title=str(row["title"]).rstrip("."),
               person=row["person"] if present(row.get("person")) else None,
               role=row["role"] if present(row.get("role")) else None,
               place=row["place"] if present(row.get("place")) else None,
               date=f.event_value(row), **_names(f))


@rule("opening.trade_turn")
def trade_turn(f):
    """The latest turn in trade, as a hook: only where both reporters agree on its direction."""
    last = latest(f)
    if last is None:
        return None
    checks = Checks(f)
    if not checks("direction_agrees", last - 1, last):
        return None
    changes = [f.change(c, last - 1, last) for c in reporters(f, last)]
    return say("opening.trade_turn", checks.passed, year=last, word="rose" if changes[0].number > 0 else "fell",
               changes=[{"name": f.names[c.reporter], "change": c} for c in changes], **_names(f))


@rule("history.first_record")
def first_record(f):
    milestones = f.events(MILESTONES)
    if milestones.empty:
        return None
    first = milestones.iloc[0]
    relations = f.events("relations")
    later = None
    if not relations.empty and relations.iloc[0]["id"] != first["id"]:
        row = relations.iloc[0]
        later = {"date": f.event_value(row), "on": _on(row["date"]), "years": numbers.counted(f.as_of.year - int(str(row["date"])[:4]), "year", "years")}
    return say("history.first_record", date=f.event_value(first), on=_on(first["date"]), title=str(first["title"]).rstrip("."),
               relations=later, **_names(f))


def _sources(rows) -> tuple:
    return tuple(dict.fromkeys(Ref(str(s)) for s in rows["source"]))


def _count(f, rows, one: str, many: str, measure: str) -> Value:
    from ..values import Row

    return Value(numbers.counted(len(rows), one, many), _sources(rows), number=len(rows), unit="count",
                 measure=measure, rows=tuple(Row("events", (("id", r["id"]),), str(r["source"])) for _, r in rows.iterrows()))


@rule("relations.visits")
def visits(f):
    rows = f.events("visit")
    if rows.empty:
        return None
    last = rows.iloc[-1]
    first_year, last_year = str(rows.iloc[0]["date"])[:4], str(last["date"])[:4]
    return say("relations.visits", count=_count(f, rows, "high-level visit", "high-level visits", "visits"),
               first_year=first_year, last_year=last_year,
               person=last["person"] if present(last.get("person")) else None,
               role=last["role"] if present(last.get("role")) else None, date=f.event_value(last))


@rule("relations.agreements")
def agreements(f):
    rows = f.events("agreement")
    if rows.empty:
        return None
    return say("relations.agreements", count=_count(f, rows, "agreement", "agreements", "agreements"),
               first_year=str(rows.iloc[0]["date"])[:4], last_year=str(rows.iloc[-1]["date"])[:4])


@rule("relations.mechanisms")
def mechanisms(f):
    rows = f.events("mechanism")
    if rows.empty:
        return None
    items = [{"title": str(r["title"]).rstrip("."), "date": f.event_value(r)} for _, r in rows.iterrows()]
    sessions = f.events("session")
    latest_session = None
    if not sessions.empty:
        s = sessions.iloc[-1]
        latest_session = {"title": str(s["title"]).rstrip("."), "date": f.event_value(s)}
    return say("relations.mechanisms", items=items, session=latest_session)


@rule("defence.events")
def defence(f):
    rows = f.events(("defence", "energy"))
    if rows.empty:
        return None
    items = [{"title": str(r["title"]).rstrip("."), "date": f.event_value(r)} for _, r in rows.iterrows()]
    return say("defence.events", items=items)
