"""Defence and security: transfers of major arms between the two sides, as SIPRI records them.

SIPRI's Arms Transfers Database is complete for major conventional arms since 1950, so an empty
register between two states is a finding ("SIPRI records no transfers ... since 1950"), said with
SIPRI's credit line. Amounts are trend-indicator values (TIV): SIPRI's measure of the volume of
military capability transferred, printed without a currency sign, never called money.

Share and rank among a recipient's suppliers are computed over the last `arms_window` years of the
register (ending in the latest delivery year of the rows the package holds for the recipient): a
deal's delivered TIV is spread evenly over the delivery years SIPRI lists for it, and the years that
fall in the window count. (SIPRI gives TIV per deal, not per year; the even spread is briefkit's
choice, and `briefkit check` recomputes it the same way from the rows.)
"""
from __future__ import annotations

import pandas as pd

from .. import numbers
from ..claims import say
from ..guards import Checks, guard
from ..notes import Ref
from ..settings import THRESHOLDS
from ..values import Row, Value
from . import rule

SOURCE = "sipri-arms"


def _arms(f) -> pd.DataFrame | None:
    return f.pair.arms


def deals(f, supplier: str, recipient: str) -> pd.DataFrame:
    """Deals of `supplier` to `recipient`, oldest order first."""
    arms = _arms(f)
    mine = arms[(arms["supplier"] == supplier) & (arms["recipient"] == recipient)]
    return mine.sort_values(["order_year", "id"], na_position="first")


def _rows(table: pd.DataFrame) -> tuple[Row, ...]:
    return tuple(Row("arms_transfers", (("id", str(i)),), str(s)) for i, s in zip(table["id"], table["source"]))


def _source(table: pd.DataFrame) -> str:
    return str(table["source"].iloc[0]) if not table.empty else SOURCE


def delivery_years(text) -> list[int]:
    """'2022; 2023' → [2022, 2023]."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [int(y) for y in str(text).replace(",", ";").split(";") if y.strip().isdigit()]


def window(f, recipient: str) -> tuple[int, int] | None:
    """The last `arms_window` years of the register, by the recipient's rows (first, last)."""
    arms = _arms(f)
    if arms is None or arms.empty or arms["last_delivery"].dropna().empty:
        return None
    end = int(arms["last_delivery"].dropna().max())
    return end - THRESHOLDS["arms_window"] + 1, end


def by_supplier(f, recipient: str) -> tuple[pd.Series, pd.DataFrame, tuple[int, int]] | None:
    """TIV the recipient took from each named supplier in the window (deliveries spread evenly over
    their years), largest first, with the whole including unnamed suppliers in `totals.attrs["whole"]`;
    the rows that count; and the window. Computed once per pair and recipient."""
    cache = f.__dict__.setdefault("_arms_by_supplier", {})
    if recipient not in cache:
        cache[recipient] = _by_supplier(f, recipient)
    return cache[recipient]


def _by_supplier(f, recipient: str):
    span = window(f, recipient)
    if span is None:
        return None
    arms = _arms(f)
    mine = arms[(arms["recipient"] == recipient) & arms["tiv_delivered"].notna()]
    weights = []
    for text in mine["delivery_years"].astype(object):
        years = delivery_years(text)
        weights.append(sum(span[0] <= y <= span[1] for y in years) / len(years) if years else 0.0)
    tiv = mine["tiv_delivered"].to_numpy(dtype=float) * pd.Series(weights, dtype=float).to_numpy()
    used = tiv > 0
    if not used.any():
        return None
    # deals of suppliers SIPRI could not name count in the recipient's total, not among its suppliers
    named = used & mine["supplier"].notna().to_numpy()
    suppliers = mine["supplier"].astype(object).to_numpy()[named].astype(str)
    totals = pd.Series(tiv[named]).groupby(suppliers).sum()
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable")
    totals.attrs["whole"] = float(tiv[used].sum())
    return totals, mine[used], span


@guard("arms_volume")
def arms_volume(f, recipient: str, supplier: str) -> bool:
    """The recipient took enough major arms in the window, and the supplier delivered enough of them,
    for a share and a rank to mean something."""
    found = by_supplier(f, recipient)
    if found is None:
        return False
    totals = found[0]
    return (totals.attrs["whole"] >= THRESHOLDS["arms_min_tiv"]
            and totals.get(supplier, 0.0) >= THRESHOLDS["arms_min_supplier_tiv"])


def _ref(f, detail: str, source: str = SOURCE) -> Ref:
    return Ref(source, detail)


@rule("defence.transfers")
def transfers(f):
    """Deals each way on record; where there are none either way, that is said as SIPRI's finding."""
    if _arms(f) is None:
        return None
    sides = []
    for supplier, recipient in ((f.a, f.b), (f.b, f.a)):
        mine = deals(f, supplier, recipient)
        detail = f"transfers of major arms from {f.names[supplier]} to {f.names[recipient]}, 1950-2024"
        ref = _ref(f, detail, _source(mine))
        count = Value(numbers.counted(len(mine), "deal", "deals") if len(mine) else "no transfers", (ref,),
                      number=len(mine), unit="count", measure="arms_deals", reporter=supplier, partner=recipient,
                      rows=_rows(mine) or (Row("arms_transfers", (("supplier", supplier), ("recipient", recipient)),
                                               SOURCE),))
        side = {"supplier": f.names[supplier], "recipient": f.names[recipient], "count": count, "any": not mine.empty}
        if not mine.empty:
            years = mine["order_year"].dropna().astype(int)
            side["first"], side["last"] = int(years.min()), int(years.max())
            tiv = float(mine["tiv_delivered"].fillna(0).sum())
            side["tiv"] = Value(numbers.tiv_million(tiv), (ref,), number=tiv, unit="tiv_million",
                                measure="tiv_delivered", reporter=supplier, partner=recipient, rows=_rows(mine))
        sides.append(side)
    if not sides[0]["any"] and not sides[1]["any"]:
        one, other = sides[0]["count"], sides[1]["count"]
        nothing = Value("no transfers", (Ref(SOURCE, f"transfers of major arms between {f.names[f.a]} and "
                                                      f"{f.names[f.b]}, 1950-2024"),),
                        number=0, unit="count", measure="arms_deals", reporter=f.a, partner=f.b,
                        rows=one.rows + other.rows)
        return say("defence.none", a=f.names[f.a], b=f.names[f.b], nothing=nothing)
    return [say("defence.transfers", side=s) for s in sides if s["any"]] + \
        [say("defence.one_way", side=s) for s in sides if not s["any"]]


@rule("defence.supplier_share")
def supplier_share(f):
    """The supplier's share and rank among the recipient's suppliers over the last ten years."""
    if _arms(f) is None:
        return None
    out = []
    for supplier, recipient in ((f.a, f.b), (f.b, f.a)):
        checks = Checks(f)
        if not checks("arms_volume", recipient, supplier):
            continue
        totals, used, (start, end) = by_supplier(f, recipient)
        mine = float(totals[supplier])
        share = mine / totals.attrs["whole"] * 100
        rank = int((totals > mine).sum()) + 1
        detail = (f"transfers of major arms to {f.names[recipient]} from every supplier, deliveries {start}-{end}")
        ref = _ref(f, detail, _source(used))
        rows = _rows(used)
        common = dict(reporter=supplier, partner=recipient, year=end, rows=rows)
        out.append(say("defence.supplier_share", checks.passed, supplier=f.names[supplier],
                       recipient=f.names[recipient], start=start, end=end,
                       share=Value(numbers.percent(share), (ref,), number=share, unit="percent",
                                   measure="tiv_share", **common),
                       rank=Value(f"{numbers.ordinal(rank)} of {len(totals)}", (ref,), number=rank, unit="rank",
                                  measure="tiv_rank", **common),
                       tiv=Value(numbers.tiv_million(mine), (ref,), number=mine, unit="tiv_million",
                                 measure="tiv_window", **common)))
    return out or None
