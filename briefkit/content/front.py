"""The front matter: masthead, title, byline, date, disclaimer, as data for the template.

An analyst's brief carries its own title, author and date (briefs.csv). A drafted brief is dated by
the data it is drafted from (the package's "created"), says in which year its data end, and names
briefkit as its drafter under the masthead of the package's first institute.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..datapackage import PairData
from .notes import present
from .numbers import long_date


def brief_date(pair: PairData, as_of: dt.date | None = None) -> dt.date:
    if as_of is not None:
        return as_of
    if pair.front_matter is not None:
        return pd.Timestamp(pair.front_matter["date"]).date()
    if pair.created:
        return pd.Timestamp(pair.created).date()
    return dt.date.today()


def front_matter(pair: PairData, date: dt.date, data_year: int | None, title: str | None = None,
                 author: str | None = None) -> dict:
    front, inst = pair.front_matter, pair.institute
    names = str(pair.a["name"]), str(pair.b["name"])
    if front is not None:
        byline = [(cls, str(front.get(key))) for cls, key in
                  (("author", "author"), ("designation", "designation"), ("centre", "centre")) if present(front.get(key))]
        out = {"title": str(front["title"]), "byline": byline,
               "editor": str(front["editor"]) if present(front.get("editor")) else None, "data_note": None}
    else:
        out = {"title": f"{names[0]}-{names[1]} Relations: A Data Brief",
               "byline": [("author", "briefkit"), ("designation", "Drafted from the shared data package")],
               "editor": None,
               "data_note": f"Drafted from data up to {data_year}" if data_year else "Drafted from the shared data package"}
    if author:
        out["byline"] = [("author", author)]
    if title:
        out["title"] = title
    out["date"] = long_date(date)
    if inst is not None:
        out["institute"] = str(inst["name"])
        out["contact"] = [(label, str(inst[k])) for label, k in (("Web", "web"), ("Phone", "phone"), ("Fax", "fax"))
                          if present(inst.get(k))]
        disclaimer = str(inst["disclaimer"])
    else:
        out["institute"], out["contact"] = None, []
        disclaimer = ""
    if front is None:
        drafted = "Drafted automatically from sourced data; every figure is footnoted to its source."
        disclaimer = f"{disclaimer} {drafted}".strip() if disclaimer else drafted
    out["disclaimer"] = disclaimer
    return out
