"""The checker's own recomputation of the figures drawn from arms transfers, UN ideal points, trade
agreements and GDP, from the package's rows (`briefkit check` calls it for those values).

Written apart from the rules on purpose: a TIV total is summed again from the arms rows, a share
and rank among suppliers recomputed from every deal of the recipient (delivered TIV spread evenly
over the deal's delivery years, the years in the window counted), a distance from the two ideal
points, a standing among pairs from all points of the session, an agreement's years from its row.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

TIV = re.compile(r"([\d,]+) million TIV")
PERCENT = re.compile(r"(\d[\d.,]*)%")
WINDOW = 10   # years of the register over which shares among suppliers are stated (THRESHOLDS["arms_window"])


def check_new_value(value: dict, rows) -> list[str]:
    table, measure, text = value.get("table"), value.get("measure"), value.get("text", "")
    keys = value.get("rows", [])
    if table == "arms_transfers":
        return _arms(value, rows)
    if table == "un_ideal_points":
        return _ideal(value, rows)
    if table == "trade_agreements":
        return _agreement(value, rows)
    if measure == "gdp_share":
        return _gdp_share(value, rows)
    return [f'value "{text}": no check for {table}/{measure} ({len(keys)} rows)']


def _percent_off(text: str, actual: float) -> bool:
    m = PERCENT.search(text)
    if text.startswith("less than"):
        return actual >= 0.1
    return bool(m) and abs(float(m.group(1)) - actual) > (0.51 if actual >= 9.95 else 0.051)


# ---- arms ------------------------------------------------------------------------------------

def _years(text) -> list[int]:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [int(t) for t in re.findall(r"\d{4}", str(text))]


def _arms(value: dict, rows) -> list[str]:
    arms = rows.other("arms_transfers")
    text, measure, number = value.get("text", ""), value.get("measure"), value.get("number")
    if arms is None:
        return [f'value "{text}": the package has no arms_transfers table']
    supplier, recipient = value.get("reporter"), value.get("partner")
    between = arms[(arms["supplier"] == supplier) & (arms["recipient"] == recipient)]
    ids = [k["id"] for k in value.get("rows", []) if "id" in k]
    known = rows.ids("arms_transfers")
    out = [f'value "{text}": no arms deal "{i}"' for i in ids if i not in known]
    if measure == "arms_deals":   # "no transfers" names each direction it covers in its rows
        directions = [(k["supplier"], k["recipient"]) for k in value.get("rows", []) if "supplier" in k] or \
            [(supplier, recipient)]
        for s, r in directions:
            found = int(((arms["supplier"] == s) & (arms["recipient"] == r)).sum())
            if number == 0 and found:
                out.append(f'value "{text}": SIPRI rows give {found} deals from {s} to {r}')
        if number != 0 and int(number) != len(between):
            out.append(f'value "{text}": SIPRI rows give {len(between)} deals from {supplier} to {recipient}')
        return out
    if measure == "tiv_delivered":
        actual = float(between["tiv_delivered"].fillna(0).sum())
        return out + _tiv(text, number, actual)
    # tiv_window, tiv_share, tiv_rank: every supplier of the recipient over the window
    mine = arms[arms["recipient"].isin([supplier, recipient])]
    end = int(mine["last_delivery"].dropna().max())
    if end != value.get("year"):
        out.append(f'value "{text}": the window should end in {end}, the latest delivery to either side')
    start = end - WINDOW + 1
    by, whole = {}, 0.0
    for _, r in arms[arms["recipient"] == recipient].iterrows():
        years = _years(r["delivery_years"])
        if not years or pd.isna(r["tiv_delivered"]):
            continue
        part = float(r["tiv_delivered"]) * sum(start <= y <= end for y in years) / len(years)
        whole += part
        if not pd.isna(r["supplier"]):   # an unnamed supplier counts in the whole, not in the ranking
            by[str(r["supplier"])] = by.get(str(r["supplier"]), 0.0) + part
    by = {k: v for k, v in by.items() if v > 0}
    own = by.get(supplier, 0.0)
    if measure == "tiv_window":
        return out + _tiv(text, number, own)
    if measure == "tiv_share":
        share = own / whole * 100 if whole else 0.0
        if abs(share - number) > 1e-4 or _percent_off(text, share):
            out.append(f'value "{text}": the rows give {share:.2f}% of {recipient}\'s imports in {start}-{end}')
        return out
    if measure == "tiv_rank":
        rank = 1 + sum(v > own for v in by.values())
        if not text.startswith(_ordinal(rank)) or not text.endswith(f"of {len(by)}"):
            out.append(f'value "{text}": the rows rank {supplier} {_ordinal(rank)} of {len(by)} suppliers')
        return out
    return out + [f'value "{text}": no check for arms measure {measure}']


def _tiv(text: str, number, actual: float) -> list[str]:
    out = []
    if number is None or abs(number - actual) > 1e-4 * max(1.0, actual):
        out.append(f'value "{text}": the ledger says {number}, the rows give {actual:.6g} million TIV')
    m = TIV.search(text)
    if "$" in text:
        out.append(f'value "{text}": TIV printed with a currency sign')
    if m and abs(float(m.group(1).replace(",", "")) - actual) > 0.51:
        out.append(f'value "{text}": prints {m.group(1)} million TIV, the rows give {actual:.1f}')
    return out


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# ---- UN ideal points ---------------------------------------------------------------------------

def _ideal(value: dict, rows) -> list[str]:
    points = rows.other("un_ideal_points")
    text, number, keys = value.get("text", ""), value.get("number"), value.get("rows", [])
    if points is None:
        return [f'value "{text}": the package has no un_ideal_points table']
    found = []
    for k in keys:
        match = points[(points["country"] == k["country"]) & (points["session"] == int(k["session"]))]
        if match.empty:
            return [f'value "{text}": no ideal point of {k["country"]} in session {k["session"]}']
        found.append(float(match["ideal_point"].iloc[0]))
    distance = abs(found[0] - found[1])
    if value.get("measure") == "distance":
        if abs(distance - number) > 1e-5 or text != f"{distance:.2f}":
            return [f'value "{text}": the two ideal points are {distance:.4f} apart']
        return []
    if value.get("measure") == "pairs_farther":
        session = points[points["session"] == int(keys[0]["session"])]["ideal_point"].dropna().to_numpy(dtype=float)
        gaps = np.abs(session[:, None] - session[None, :])[np.triu_indices(len(session), k=1)]
        farther = float((gaps > distance + 1e-12).sum()) / len(gaps) * 100
        if abs(farther - number) > 0.01 or text != f"{farther:.0f}%":
            return [f'value "{text}": {farther:.2f}% of the session\'s {len(gaps)} pairs are farther apart']
        return []
    return [f'value "{text}": no check for ideal-point measure {value.get("measure")}']


# ---- trade agreements and GDP --------------------------------------------------------------------

def _agreement(value: dict, rows) -> list[str]:
    agreements = rows.other("trade_agreements")
    text = value.get("text", "")
    aid = value["rows"][0]["id"]
    match = None if agreements is None else agreements[agreements["id"] == aid]
    if match is None or match.empty:
        return [f'value "{text}": no trade agreement "{aid}"']
    ag = match.iloc[0]
    said = [int(y) for y in re.findall(r"\d{4}", text)]
    actual = [int(ag["signature_year"]), int(ag["in_force_year"])]
    return [] if said == actual else [f'value "{text}": the agreement was signed in {actual[0]}, in force {actual[1]}']


def _gdp_share(value: dict, rows) -> list[str]:
    text, keys = value.get("text", ""), value.get("rows", [])
    trade_key = next((k for k in keys if k["table"] == "trade"), None)
    gdp_key = next((k for k in keys if k["table"] == "indicators"), None)
    if trade_key is None or gdp_key is None:
        return [f'value "{text}": a share of GDP needs a trade row and an indicators row']
    if int(trade_key["year"]) != int(gdp_key["year"]):
        return [f'value "{text}": divides {trade_key["year"]} trade by {gdp_key["year"]} GDP']
    ind = rows.other("indicators")
    match = ind[(ind["country"] == gdp_key["country"]) & (ind["indicator"] == gdp_key["indicator"])
                & (ind["year"] == int(gdp_key["year"]))] if ind is not None else None
    trade = rows.trade_measure(trade_key, "total")
    if match is None or match.empty or trade is None:
        return [f'value "{text}": no GDP or trade row for {gdp_key["country"]}, {gdp_key["year"]}']
    share = trade / (float(match["value"].iloc[0]) / 1e6) * 100
    if abs(share - value.get("number")) > 1e-4 or _percent_off(text, share):
        return [f'value "{text}": the rows give {share:.3f}% of GDP']
    return []
