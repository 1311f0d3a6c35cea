"""Trade agreements both sides are party to, as DESTA records them, and the scale of their trade
against each side's GDP (World Bank).

DESTA's list ends in 2020, so an agreement is said to be "in force by 2020 in DESTA's records": in
force in a year no later than the brief's, with both sides having entered it and neither withdrawn.
"""
from __future__ import annotations

import re

import pandas as pd

from .. import numbers
from ..claims import say
from ..guards import Checks, guard
from ..notes import Ref
from ..values import Row, Value
from . import rule
from .trade import latest

KIND_WORDS = {"bilateral": "bilateral", "plurilateral": "plurilateral",
              "plurilateral_third_country": "a bloc with a third country", "region_region": "region to region",
              "accession": "an accession"}
# A DESTA name that already says what it is ("Cotonou Agreement") takes no "agreement" after it.
NAMED = re.compile(r"\b(agreement|treaty|protocol|pact|convention|area|community|union|partnership|association|"
                   r"market|zone|arrangement|cooperation|council|accord)\b", re.I)


def in_force(f) -> pd.DataFrame:
    """Agreements (base treaties) both sides are in at the brief's date, oldest signature first:
    id, name, kind, signature_year, in_force_year, source (worked out once per pair)."""
    if "_agreements_in_force" not in f.__dict__:
        f.__dict__["_agreements_in_force"] = _in_force(f)
    return f.__dict__["_agreements_in_force"]


def _in_force(f) -> pd.DataFrame:
    agreements, members = f.pair.agreements, f.pair.agreement_members
    if agreements is None or members is None or agreements.empty:
        return pd.DataFrame(columns=["id", "name", "kind", "signature_year", "in_force_year", "source"])
    year = f.as_of.year
    keep = []
    for _, ag in agreements.iterrows():
        if pd.isna(ag["in_force_year"]) or int(ag["in_force_year"]) > year:
            continue
        spells = members[members["agreement"] == ag["id"]]
        sides = []
        for code in (f.a, f.b):
            mine = spells[(spells["country"] == code) & spells["entry_year"].notna()]
            mine = mine[(mine["entry_year"] <= year) & (mine["exit_year"].isna() | (mine["exit_year"] > year))]
            sides.append(not mine.empty)
        if all(sides):
            keep.append(ag)
    table = pd.DataFrame(keep, columns=agreements.columns)
    return table.sort_values(["signature_year", "id"]).reset_index(drop=True)


def agreement_value(f, ag: pd.Series) -> Value:
    ref = Ref(str(ag["source"]), f"{ag['name']} ({ag['id']})")
    return Value(f"signed in {int(ag['signature_year'])}, in force from {int(ag['in_force_year'])}", (ref,),
                 number=int(ag["in_force_year"]), unit="year", measure="agreement_in_force",
                 year=int(ag["in_force_year"]), reporter=f.a, partner=f.b,
                 rows=(Row("trade_agreements", (("id", str(ag["id"])),), str(ag["source"])),))


@rule("agreements.in_force")
def agreements_in_force(f):
    table = in_force(f)
    if table.empty:
        return None
    listed = [{"name": str(ag["name"]), "named": bool(NAMED.search(str(ag["name"]))), "kind": KIND_WORDS.get(str(ag["kind"]), str(ag["kind"])),
               "when": agreement_value(f, ag)} for _, ag in table.iterrows()]
    bilateral = int((table["kind"] == "bilateral").sum())
    return say("agreements.in_force", a=f.names[f.a], b=f.names[f.b], listed=listed,
               count=numbers.counted(len(table), "preferential trade agreement", "preferential trade agreements"),
               bilateral=numbers.spelled(bilateral), all_bilateral=bilateral == len(table),
               no_bilateral=bilateral == 0)


# ---- scale -----------------------------------------------------------------------------------

def gdp(f, code: str, year: int) -> pd.Series | None:
    ind = f.pair.indicators
    if ind is None or ind.empty:
        return None
    match = ind[(ind["country"] == code) & (ind["indicator"] == "gdp_usd") & (ind["year"] == year)]
    return None if match.empty else match.iloc[0]


@guard("same_year")
def same_year(f, *values) -> bool:
    """Every value of a ratio is of one year."""
    return len({v.year for v in values}) == 1


@rule("trade.gdp_share")
def gdp_share(f):
    """The pair's trade as a share of each side's GDP, both of the latest year with a figure for each."""
    last = latest(f)
    if last is None:
        return None
    out = []
    for code in (f.a, f.b):
        ind = f.pair.indicators
        if ind is None or ind.empty:
            return None
        have = set(ind.loc[(ind["country"] == code) & (ind["indicator"] == "gdp_usd"), "year"].astype(int))
        years = [y for y in f.years(code) if y <= last and y in have]
        if not years:
            continue
        year = years[-1]
        row = gdp(f, code, year)
        trade = f.value(code, year)
        whole = float(row["value"]) / 1e6
        if whole <= 0 or trade.number < 0.05:
            continue
        pct = trade.number / whole * 100
        ref = Ref(str(row["source"]), f"{f.names[code]}'s GDP in current US$, {year}")
        share = Value(numbers.percent(pct), (trade.refs[0], ref), number=pct, unit="percent", measure="gdp_share",
                      year=year, reporter=code, partner=f.other(code),
                      rows=trade.rows + (Row("indicators", (("country", code), ("indicator", "gdp_usd"), ("year", year)),
                                              str(row["source"])),))
        gdp_value = Value(numbers.usd_million(whole), (ref,), number=whole, unit="usd_million", measure="gdp",
                          year=year, reporter=code, rows=share.rows[-1:])
        checks = Checks(f)
        if not checks("same_year", trade, gdp_value):
            continue
        out.append(say("trade.gdp_share", checks.passed, reporter=f.names[code], partner=f.names[f.other(code)],
                       year=year, share=share))
    return out or None
