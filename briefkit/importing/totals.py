"""Annual values from records: one per reporter, partner, year and flow, in US$ million.

A flow's annual value is the file's TOTAL row when there is one, otherwise the sum of the 2-digit
codes (HS chapters, SITC divisions) of one classification. Longer codes are never added in, so
files that mix 2-, 4- and 6-digit rows are not double counted. A flow with neither a TOTAL nor
2-digit rows gets no annual value (a note says so). When a file holds several classifications for
the same flow, one is used: a TOTAL row first, then HS before SITC, newest edition first.

Rows whose partner is the World become the reporter's trade with the world (trade_totals); the
bilateral rows become trade. Where a file has both, the notes compare the partners' sum with the
World value, so a file that lost rows shows it before anything is written.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pandas as pd

from .records import TOTAL, WORLD, Context
from .results import RowProblem

MILLION = Decimal(1_000_000)


def class_rank(classification: str) -> tuple:
    """Preferred classification first: HS before SITC before others, newest edition first."""
    kind = {"H": 0, "S": 1}.get(classification[:1], 2)
    edition = int(classification[1:]) if classification[1:].isdigit() else -1
    return kind, -edition, classification


def dedupe(ctx: Context) -> None:
    """Drop exact repeats; conflicting repeats are bad rows."""
    seen: dict[tuple, object] = {}
    kept, repeats = [], 0
    for rec in ctx.records:
        key = (rec.reporter, rec.partner, rec.year, rec.flow, rec.classification, rec.code)
        first = seen.get(key)
        if first is None:
            seen[key] = rec
            kept.append(rec)
        elif first.value == rec.value:
            repeats += 1
        else:
            what = "product" if rec.code != TOTAL else "flow"
            ctx.problems.append(RowProblem(
                rec.line, f"same reporter, partner, year and {what} as line {first.line} but a different value "
                          f"({rec.value} vs {first.value})"))
    if repeats:
        ctx.notes.append(f"{repeats:,} exact repeats of earlier rows dropped")
    ctx.records = kept


def annual(ctx: Context, unit: int) -> tuple[list[dict], list[dict], list[str]]:
    """(bilateral rows, World rows, totals check): annual values per reporter, partner, year and flow."""
    groups: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(lambda: {"total": None, "chapters": []}))
    for rec in ctx.records:
        slot = groups[(rec.reporter, rec.partner, rec.year, rec.flow)][rec.classification]
        if rec.code == TOTAL:
            slot["total"] = rec
        elif len(rec.code) == 2:
            slot["chapters"].append(rec)
    scale = Decimal(unit) / MILLION
    basis, gaps, several, mismatches = Counter(), [], 0, []
    wide: dict[tuple, dict] = {}
    values: dict[tuple, Decimal] = {}
    for (reporter, partner, year, flow), by_class in groups.items():
        usable = [c for c, s in by_class.items() if s["total"] or s["chapters"]]
        if not usable:
            gaps.append(f"{reporter}-{partner} {year} {flow}")
            continue
        several += len(usable) > 1
        chosen = min(usable, key=lambda c: (by_class[c]["total"] is None, class_rank(c)))
        slot = by_class[chosen]
        chapters_sum = sum((r.value for r in slot["chapters"]), Decimal(0))
        if slot["total"] is not None:
            value, flags = slot["total"].value, [slot["total"].estimated]
            basis["a TOTAL row"] += 1
            if slot["chapters"] and value and abs(chapters_sum - value) > value / 200:
                mismatches.append(f"{reporter}-{partner} {year} {flow} ({chapters_sum / value - 1:+.1%})")
        else:
            value, flags = chapters_sum, [r.estimated for r in slot["chapters"]]
            basis["the sum of 2-digit codes"] += 1
        estimated = None if all(f is None for f in flags) else any(bool(f) for f in flags)
        row = wide.setdefault((reporter, partner, year), {
            "reporter": reporter, "partner": partner, "year": str(year),
            "exports_fob": "", "exports_estimated": "", "imports_cif": "", "imports_estimated": ""})
        row["exports_fob" if flow == "exports" else "imports_cif"] = num_text(value * scale)
        row[flow + "_estimated"] = "" if estimated is None else ("true" if estimated else "false")
        values[(reporter, partner, year, flow)] = value * scale
    if unit == 1:
        ctx.basis = "; ".join(f"{n:,} from {b}" for b, n in sorted(basis.items()))
        ctx.notes.append("annual flow values: " + ctx.basis)
    if several:
        ctx.notes.append(f"{several:,} flows appear in more than one classification; one was used for each "
                         "(TOTAL first, then HS before SITC, newest edition first)")
    if mismatches:
        ctx.notes.append("TOTAL differs from the sum of 2-digit codes by more than 0.5% for " + listing(mismatches, 5))
    if gaps:
        ctx.notes.append("no TOTAL row and no 2-digit rows, so no annual value, for " + listing(gaps, 5))
    rows = list(wide.values())
    bilateral = [r for r in rows if r["partner"] != WORLD]
    world = [{k: v for k, v in r.items() if k != "partner"} for r in rows if r["partner"] == WORLD]
    return bilateral, world, _check(values)


def _check(values: dict[tuple, Decimal]) -> list[str]:
    """Per reporter, year and flow: the partners' sum, and its share of the World value when the file has one."""
    sums: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0, None])
    for (reporter, partner, year, flow), value in values.items():
        slot = sums[(reporter, year, flow)]
        if partner == WORLD:
            slot[2] = value
        else:
            slot[0] += value
            slot[1] += 1
    lines = []
    for (reporter, year, flow), (total, partners, world) in sorted(sums.items()):
        text = f"{reporter} {year} {flow}: {partners:,} {'partner' if partners == 1 else 'partners'} US${total:,.1f} million"
        if world:
            text += f" = {total / world:.1%} of the World value US${world:,.1f} million"
        lines.append(text)
    return lines


def num_text(value: Decimal) -> str:
    """A number as plain decimal text: no exponent, no trailing zeros."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def listing(items: list, limit: int) -> str:
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


def sort_rows(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame.reset_index(drop=True)
    keyed = frame.assign(_year=frame["year"].astype(int))
    by = ["_year" if c == "year" else c for c in order]
    return keyed.sort_values(by, kind="mergesort").drop(columns="_year").reset_index(drop=True)
