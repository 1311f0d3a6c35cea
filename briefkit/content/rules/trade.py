"""Trade: level, trend, peak, balance, shares and ranks, disagreements between the records, targets,
stated figures, other sources and goods.

A judgement (grew, fell, favours, lopsided) is stated as fact only when both reporters' records
agree; otherwise the sentence says who reports what.
"""
from __future__ import annotations

import pandas as pd

from .. import numbers
from ..claims import say
from ..guards import Checks
from ..settings import THRESHOLDS
from ..values import Value
from . import rule


def latest(f) -> int | None:
    years = f.years()
    return years[-1] if years else None


def reporters(f, year: int) -> list[str]:
    """The sides with a figure for `year`, the one to lead with first: reported (not estimated),
    then the larger figure."""
    options = []
    for code in (f.a, f.b):
        row = f.row(code, year)
        if row is not None:
            options.append((bool(row["estimated"]), -float(row["total"]), code))
    return [code for *_, code in sorted(options)]


@rule("trade.coverage")
def coverage(f):
    last = latest(f)
    if last is None:
        return None
    spans = []
    for code in (f.a, f.b):
        years = f.years(code)
        if years:
            spans.append({"name": f.names[code], "first": years[0], "last": years[-1],
                          "source": f.source_name(f.main_source(code))})
    gap = f.as_of.year - last
    return say("trade.coverage", spans=spans, same=len({(s["first"], s["last"], s["source"]) for s in spans}) == 1,
               one_source=len({s["source"] for s in spans}) == 1,
               a=f.names[f.a], b=f.names[f.b], last=last, stale=numbers.counted(gap, "year", "years") if gap > 1 else "")


@rule("trade.level")
def level(f):
    last = latest(f)
    if last is None:
        return None
    sides = reporters(f, last)
    if all(f.number(c, last) == 0 for c in sides):
        return say("trade.none", year=last, a=f.names[f.a], b=f.names[f.b],
                   zero=[f.value(c, last) for c in sides])
    first = sides[0]
    return say("trade.level", year=last, first=f.names[first], other=f.names[f.other(first)],
               first_value=f.value(first, last),
               second=f.names[sides[1]] if len(sides) > 1 else None,
               second_value=f.value(sides[1], last) if len(sides) > 1 else None,
               missing=f.names[f.other(first)] if len(sides) == 1 else None,
               negligible=f.number(first, last) < THRESHOLDS["negligible_trade"])


@rule("trade.trend")
def trend(f):
    last = latest(f)
    if last is None:
        return None
    for span in THRESHOLDS["trend_spans"]:
        start = last - span
        changes = {c: f.change(c, start, last) for c in (f.a, f.b)}
        changes = {c: v for c, v in changes.items() if v is not None}
        if not changes:
            continue
        checks = Checks(f)
        items = [{"name": f.names[c], "change": v} for c, v in changes.items()]
        if len(changes) == 2 and checks("direction_agrees", start, last):
            word = "grew" if next(iter(changes.values())).number > 0 else "fell"
            return say("trade.trend_agreed", checks.passed, word=word, start=start, end=last, items=items)
        if len(changes) == 2:
            return say("trade.trend_disputed", checks.passed, start=start, end=last, items=items)
        return say("trade.trend_one", checks.passed, start=start, end=last, item=items[0])
    return None


@rule("trade.peak")
def peak(f):
    last = latest(f)
    if last is None:
        return None
    start = last - THRESHOLDS["trend_spans"][0]
    items = []
    for code in reporters(f, last):
        checks = Checks(f)
        if checks("below_peak", code, start, last) and f.change(code, f.peak(code, start)[0], last) is not None:
            year, _ = f.peak(code, start)
            below = (1 - f.number(code, last) / f.number(code, year)) * 100
            items.append({"name": f.names[code], "year": year, "peak": f.value(code, year),
                          "below": Value(numbers.percent(below), (f.trade_ref(code, last),), number=-below,
                                         unit="percent", measure="change_from_peak", year=last, reporter=code,
                                         partner=f.other(code), rows=f.change(code, year, last).rows)})
    if not items:
        return None
    return say("trade.peak", ("below_peak",), items=items, end=last, start=start,
               both=len(items) == 2)


@rule("trade.balance")
def balance(f):
    last = latest(f)
    if last is None:
        return None
    sides = [c for c in reporters(f, last) if f.number(c, last) >= THRESHOLDS["negligible_trade"]
             and f.number(c, last, "balance") is not None]
    if not sides:
        return None
    checks = Checks(f)
    views = []
    for code in sides:
        bal, total = f.number(code, last, "balance"), f.number(code, last)
        even = abs(bal) < THRESHOLDS["balanced_share"] * total
        views.append({"name": f.names[code], "even": even,
                      "side": f.names[code] if bal > 0 else f.names[f.other(code)],
                      "amount": f.value(code, last, "balance")})
    if len(sides) == 2 and checks("balance_agrees", last):
        return say("trade.balance_agreed", checks.passed, year=last, side=views[0]["side"], views=views)
    if len(sides) == 2:
        return say("trade.balance_disputed", checks.passed, year=last, views=views)
    return say("trade.balance_one", checks.passed, year=last, view=views[0])


@rule("trade.shares")
def shares(f):
    last = latest(f)
    if last is None:
        return None
    out = []
    for code in (f.a, f.b):
        share, rank = f.share(code, last), f.rank(code, last)
        if share and rank:
            out.append(say("trade.share", ("not_negligible",), reporter=f.names[code],
                           partner=f.names[f.other(code)], share=share, rank=rank, year=last))
    return out or None


@rule("trade.mirror")
def mirror(f):
    last = latest(f)
    if last is None:
        return None
    out = []
    for gap in f.mirror(last):
        checks = Checks(f)
        fits = checks("valuation_fits", gap)
        out.append(say("trade.mirror", ("both_reporters", *checks.passed), year=last,
                       exporter=f.names[gap["exporter"]], importer=f.names[gap["importer"]],
                       fob=gap["fob"], cif=gap["cif"], fits=fits, threshold=f"{THRESHOLDS['mirror_gap']:.0%}"))
    return out or None


@rule("trade.lopsided")
def lopsided(f):
    last = latest(f)
    if last is None:
        return None
    checks = Checks(f)
    if not checks("lopsided", last):
        return None
    who = reporters(f, last)[0]
    ex, im = f.number(who, last, "exports"), f.number(who, last, "imports")
    seller = who if ex > im else f.other(who)
    return say("trade.lopsided", checks.passed, year=last, seller=f.names[seller], buyer=f.names[f.other(seller)],
               ratio=numbers.spelled(round(max(ex, im) / min(ex, im))), reporter=f.names[who],
               exports=f.value(who, last, "exports"), imports=f.value(who, last, "imports"))


@rule("trade.target")
def target(f):
    last = latest(f)
    if last is None:
        return None
    who = reporters(f, last)[0]
    total = f.number(who, last)
    out = []
    for _, row in f.pair_statements("trade_target").iterrows():
        goal = float(row["value"])
        if total < THRESHOLDS["negligible_trade"] or goal <= total:
            continue
        set_in = pd.Timestamp(row["period_start"]).year if pd.notna(row["period_start"]) else None
        out.append(say("trade.target", ("not_negligible",), goal=f.statement_value(row), set_in=set_in,
                       times=f"{goal / total:.0f}", year=last, reporter=f.names[who],
                       source=f.source_name(f.main_source(who))))
    return out or None


STATED = {"trade_total": "trade between {a} and {b}", "trade_growth": "the growth of trade between {a} and {b}",
          "exports_growth": "the growth of {flow}'s exports to {other}"}


@rule("trade.stated")
def stated(f):
    """Figures that sources state for the pair (the statements table), each with its source."""
    out = []
    for _, row in f.pair_statements().iterrows():
        if row["measure"] not in STATED:
            continue
        flow = str(row["flow_from"]) if isinstance(row.get("flow_from"), str) else None
        what = STATED[row["measure"]].format(a=f.names[f.a], b=f.names[f.b], flow=f.names.get(flow, flow),
                                              other=f.names.get(f.other(flow), "") if flow in f.names else "")
        start = pd.Timestamp(row["period_start"]) if pd.notna(row["period_start"]) else None
        end = pd.Timestamp(row["period_end"]) if pd.notna(row.get("period_end")) else None
        if start is None:
            period = None
        elif end is not None and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            period = str(start.year)
        elif end is not None:
            period = f"{numbers.MONTHS[start.month - 1]} to {numbers.MONTHS[end.month - 1]} {end.year}"
        else:
            period = str(start.year)
        out.append(say("trade.stated", publisher=f.source_name(str(row["source"])), what=what,
                       value=f.statement_value(row), period=period,
                       basis=str(row["basis"]) if isinstance(row.get("basis"), str) and row["measure"] != "trade_total" else None))
    return out or None


@rule("trade.other_sources")
def other_sources(f):
    """The latest figure of each source other than a reporter's main series, named by its source."""
    out = []
    for code in (f.a, f.b):
        rows = f.other_rows(code)
        for source, group in rows.groupby("source", sort=True):
            row = group.sort_values("year").iloc[-1]
            out.append(say("trade.other_source", publisher=f.source_name(str(source)), reporter=f.names[code],
                           partner=f.names[f.other(code)], year=int(row["year"]),
                           value=f.value(code, int(row["year"]), "total", row=row),
                           main=f.source_name(f.main_source(code)) if f.main_source(code) else None))
    return out or None


@rule("trade.goods")
def goods(f):
    from ..tables import main_products

    rows = main_products(f)
    out = []
    for (exporter, year), group in rows.groupby(["exporter", "year"], sort=False):
        items = [{"what": _lower_first(r["description"]), "value": r["value"]} for _, r in group.iterrows()]
        out.append(say("trade.goods", exporter=f.names[exporter], importer=f.names[f.other(exporter)],
                       year=int(year), items=items))
    return out or None


def _lower_first(text: str) -> str:
    text = str(text).strip()
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
