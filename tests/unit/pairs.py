"""Small in-memory pairs for rule tests: a PairData built from a few numbers, no package, no kernel.

    pair = make_pair("KAZ", "CHN", trade={("KAZ", 2020): (9010, 6350), ("CHN", 2020): (11710, 9730)})

trade maps (reporter, year) to (exports to the other side, imports from it), US$ million.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from briefkit.content.document import build
from briefkit.content.figures import Figures
from briefkit.datapackage import PairData

NAMES = {"KAZ": "Kazakhstan", "CHN": "China", "PAK": "Pakistan", "BLR": "Belarus", "TUR": "Türkiye",
         "IND": "India", "RUS": "Russia"}
SOURCES = pd.DataFrame([
    {"id": "imf-dots", "kind": "dataset", "title": "Direction of Trade Statistics (DOTS)", "author": None,
     "publisher": "International Monetary Fund", "published": None, "accessed": "2022-02-02",
     "url": "https://data.imf.org", "note": None},
    {"id": "comtrade-x", "kind": "dataset", "title": "UN Comtrade file", "author": None, "publisher": "UN Comtrade",
     "published": None, "accessed": "2024-01-05", "url": None, "note": None},
    {"id": "cow-igo", "kind": "dataset", "title": "IGO memberships", "author": None, "publisher": "Correlates of War",
     "published": None, "accessed": "2024-01-05", "url": None, "note": None},
    {"id": "news", "kind": "article", "title": "A news item", "author": None, "publisher": "A Newspaper",
     "published": "2023-01-02", "accessed": None, "url": "https://example.org/a", "note": None},
]).set_index("id", drop=False)
EVENTS = ["id", "country_a", "country_b", "date", "kind", "title", "actor", "person", "role", "place", "source"]
STATEMENTS = ["id", "country_a", "country_b", "measure", "flow_from", "period_start", "period_end", "value", "unit",
              "basis", "source"]


def make_pair(a: str, b: str, trade: dict | None = None, estimated=(), source: dict | None = None,
              world: dict | None = None, events=(), statements=(), memberships=(), ranks=()) -> PairData:
    rows = []
    for (reporter, year), (ex, im) in (trade or {}).items():
        rows.append({"reporter": reporter, "partner": b if reporter == a else a, "year": year,
                     "exports_fob": ex, "exports_estimated": (reporter, year) in estimated,
                     "imports_cif": im, "imports_estimated": (reporter, year) in estimated,
                     "source": (source or {}).get((reporter, year), "imf-dots")})
    trade_df = pd.DataFrame(rows, columns=["reporter", "partner", "year", "exports_fob", "exports_estimated",
                                           "imports_cif", "imports_estimated", "source"])
    totals = pd.DataFrame([{"reporter": r, "year": y, "exports_fob": ex, "imports_cif": im, "source": "imf-dots"}
                           for (r, y), (ex, im) in (world or {}).items()],
                          columns=["reporter", "year", "exports_fob", "imports_cif", "source"])
    return PairData(
        a=pd.Series({"iso3": a, "name": NAMES[a]}), b=pd.Series({"iso3": b, "name": NAMES[b]}),
        trade=trade_df, totals=totals,
        events=pd.DataFrame(list(events), columns=EVENTS),
        statements=pd.DataFrame(list(statements), columns=STATEMENTS),
        memberships=pd.DataFrame(list(memberships), columns=["country", "organisation", "status", "start_year",
                                                               "end_year", "source"]),
        sources=SOURCES,
        ranks=pd.DataFrame(list(ranks), columns=["reporter", "year", "rank", "partners"]),
        organisations={"UN": "United Nations", "SCO": "Shanghai Cooperation Organisation",
                       "NAM": "Non-Aligned Movement"},
        created="2026-01-01", products=None, front_matter=None, institute=None, prose=None, digest="test")


def figures(pair: PairData, as_of=dt.date(2026, 1, 1)) -> Figures:
    return Figures(pair, as_of)


def brief_text(pair: PairData, as_of=dt.date(2026, 1, 1)) -> dict[str, str]:
    """Claim id → text for the drafted brief of the pair."""
    return {c.id: c.text for c in build(pair, as_of).claims}
