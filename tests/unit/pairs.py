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
    {"id": "sipri-arms", "kind": "dataset", "title": "SIPRI Arms Transfers Database: trade register", "author": None,
     "publisher": "Stockholm International Peace Research Institute (SIPRI)", "published": None,
     "accessed": "2025-03-29", "url": None, "note": None, "credit": "Information from the SIPRI Arms Transfers Database"},
    {"id": "unga-ideal-points", "kind": "dataset", "title": "UNGA ideal point estimates", "author": "Erik Voeten",
     "publisher": "Harvard Dataverse", "published": None, "accessed": "2025-03-30", "url": None, "note": None},
    {"id": "desta", "kind": "dataset", "title": "DESTA list of treaties", "author": None, "publisher": "DESTA project",
     "published": None, "accessed": "2024-01-23", "url": None, "note": None},
    {"id": "wb-gdp", "kind": "dataset", "title": "GDP (current US$)", "author": None, "publisher": "World Bank",
     "published": None, "accessed": "2024-10-21", "url": None, "note": None},
    {"id": "news", "kind": "article", "title": "A news item", "author": None, "publisher": "A Newspaper",
     "published": "2023-01-02", "accessed": None, "url": "https://example.org/a", "note": None},
]).set_index("id", drop=False)
EVENTS = ["id", "country_a", "country_b", "date", "kind", "title", "actor", "person", "role", "place", "source"]
STATEMENTS = ["id", "country_a", "country_b", "measure", "flow_from", "period_start", "period_end", "value", "unit",
              "basis", "source"]


ARMS = ["id", "supplier", "supplier_name", "supplier_kind", "recipient", "recipient_name", "recipient_kind",
        "order_year", "order_year_uncertain", "number_ordered", "number_ordered_uncertain", "weapon_designation",
        "weapon_description", "number_delivered", "number_delivered_uncertain", "delivery_years", "first_delivery",
        "last_delivery", "status", "comments", "tiv_per_unit", "tiv_order", "tiv_delivered", "source"]


def deal(id, supplier, recipient, order_year, weapon, ordered, delivered, years, tiv) -> dict:
    """One arms_transfers row: `years` a list of delivery years, `tiv` the TIV delivered."""
    return {"id": id, "supplier": supplier, "supplier_name": NAMES.get(supplier, supplier), "supplier_kind": "state",
            "recipient": recipient, "recipient_name": NAMES.get(recipient, recipient), "recipient_kind": "state",
            "order_year": order_year, "order_year_uncertain": False, "number_ordered": ordered,
            "number_ordered_uncertain": False, "weapon_designation": weapon, "weapon_description": "FGA aircraft",
            "number_delivered": delivered, "number_delivered_uncertain": False,
            "delivery_years": "; ".join(str(y) for y in years), "first_delivery": min(years) if years else None,
            "last_delivery": max(years) if years else None, "status": "New", "comments": None, "tiv_per_unit": None,
            "tiv_order": tiv, "tiv_delivered": tiv, "source": "sipri-arms"}


def new_tables(a, b, arms=None, points=None, agreements=None, gdp=None) -> dict:
    """The PairData fields of the newer tables. points: {(country, session): ideal point} (the
    session's year is 1945 + session); every country in `points` counts for the session's ranks.
    agreements: (id, name, kind, signed, in force, {country: (entry, exit)}). gdp: {(country, year): US$}."""
    import numpy as np

    out = {}
    if arms is not None:
        out["arms"] = pd.DataFrame(list(arms), columns=ARMS)
    if points is not None:
        rows = [{"country": c, "session": s, "year": 1945 + s, "ideal_point": p, "source": "unga-ideal-points"}
                for (c, s), p in points.items()]
        frame = pd.DataFrame(rows, columns=["country", "session", "year", "ideal_point", "source"])
        out["ideal_points"] = frame[frame["country"].isin([a, b])].reset_index(drop=True)
        out["ideal_sessions"] = {int(s): np.sort(g["ideal_point"].to_numpy(dtype=float))
                                 for s, g in frame.groupby("session")}
    if agreements is not None:
        out["agreements"] = pd.DataFrame(
            [{"id": i, "base_treaty": i, "name": n, "kind": k, "signature_year": s, "in_force_year": f,
              "source": "desta"} for i, n, k, s, f, _ in agreements],
            columns=["id", "base_treaty", "name", "kind", "signature_year", "in_force_year", "source"])
        out["agreement_members"] = pd.DataFrame(
            [{"agreement": i, "country": c, "spell": 1, "entry_year": e, "exit_year": x, "how": "signatory",
              "source": "desta"} for i, *_, members in agreements for c, (e, x) in members.items()],
            columns=["agreement", "country", "spell", "entry_year", "exit_year", "how", "source"])
    if gdp is not None:
        out["indicators"] = pd.DataFrame([{"country": c, "year": y, "indicator": "gdp_usd", "value": v, "source": "wb-gdp"}
                                          for (c, y), v in gdp.items()],
                                         columns=["country", "year", "indicator", "value", "source"])
    return out


def make_pair(a: str, b: str, trade: dict | None = None, estimated=(), source: dict | None = None,
              world: dict | None = None, events=(), statements=(), memberships=(), ranks=(),
              arms=None, points=None, agreements=None, gdp=None) -> PairData:
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
        created="2026-01-01", products=None, front_matter=None, institute=None, prose=None, digest="test",
        **new_tables(a, b, arms, points, agreements, gdp))


def figures(pair: PairData, as_of=dt.date(2026, 1, 1)) -> Figures:
    return Figures(pair, as_of)


def brief_text(pair: PairData, as_of=dt.date(2026, 1, 1)) -> dict[str, str]:
    """Claim id → text for the drafted brief of the pair."""
    return {c.id: c.text for c in build(pair, as_of).claims}
