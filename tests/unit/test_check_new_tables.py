"""briefkit check on the values drawn from arms transfers, UN ideal points, trade agreements and GDP:
a drafted ledger passes, and each value changed by hand is caught by the checker's own arithmetic."""
from __future__ import annotations

import copy
import datetime as dt
import json

import pandas as pd
import pytest

from briefkit.check import check_ledgers
from briefkit.content.document import build
from briefkit.content.ledger import dumps, ledger
from pairs import SOURCES, deal, make_pair
from test_new_sections import ARMS, FTA, points

TRADE = {("PAK", 2020): (1000.0, 9000.0), ("CHN", 2020): (15000.0, 2000.0),
         ("PAK", 2019): (900.0, 8000.0), ("CHN", 2019): (14000.0, 1900.0)}
POINTS = points({68: (0.0, 0.1), 78: (-0.421, 0.9)})
GDP = {("PAK", 2020): 300e9, ("CHN", 2020): 14.7e12}


class Package:
    """The tables the checker reads, from an in-memory pair and every state's ideal points."""

    def __init__(self, pair):
        self.pair = pair

    def table(self, name):
        p = self.pair
        every = pd.DataFrame([{"country": c, "session": s, "year": 1945 + s, "ideal_point": v,
                               "source": "unga-ideal-points"} for (c, s), v in POINTS.items()])
        return {"trade": p.trade, "trade_totals": p.totals, "statements": p.statements, "events": p.events,
                "sources": SOURCES.reset_index(drop=True), "arms_transfers": p.arms, "un_ideal_points": every,
                "trade_agreements": p.agreements, "indicators": p.indicators}[name]


@pytest.fixture
def pair():
    return make_pair("PAK", "CHN", TRADE, arms=ARMS, points=POINTS, agreements=[FTA], gdp=GDP)


def write(tmp_path, record):
    path = tmp_path / "PAK-CHN" / "PAK-CHN.claims.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(record), encoding="utf-8")
    return tmp_path


def drafted(pair) -> dict:
    return json.loads(dumps(ledger(build(pair, dt.date(2026, 1, 1)))))


def test_drafted_ledger_with_the_new_values_passes(tmp_path, pair):
    record = drafted(pair)
    measures = {v["measure"] for c in record["claims"] for v in c["values"]}
    assert {"arms_deals", "tiv_delivered", "tiv_window", "tiv_share", "tiv_rank", "distance", "pairs_farther",
            "agreement_in_force", "gdp_share"} <= measures
    report = check_ledgers([write(tmp_path, record)], Package(pair))
    assert report.ok, report


@pytest.mark.parametrize("measure, change, says", [
    ("tiv_delivered", {"text": "1,042 million TIV", "number": 1042.3}, "the rows give 942.3"),
    ("tiv_delivered", {"text": "US$942 million"}, "currency sign"),
    ("arms_deals", {"number": 3, "text": "three deals"}, "SIPRI rows give 2 deals"),
    ("tiv_window", {"number": 900.0, "text": "900 million TIV"}, "the rows give 937.5"),
    ("tiv_share", {"number": 90.0, "text": "90%"}, "of PAK's imports in 2015-2024"),
    ("tiv_rank", {"text": "2nd of 2"}, "1st of 2 suppliers"),
    ("distance", {"number": 1.2, "text": "1.20"}, "1.3210 apart"),
    ("pairs_farther", {"number": 70.0, "text": "70%"}, "50.00% of the session's 10 pairs"),
    ("agreement_in_force", {"text": "signed in 2005, in force from 2007"}, "signed in 2006, in force 2007"),
    ("gdp_share", {"number": 5.0, "text": "5%"}, "of GDP"),
])
def test_catches_a_new_value_its_rows_do_not_give(tmp_path, pair, measure, change, says):
    record = drafted(pair)
    changed = copy.deepcopy(record)
    hit = next(v for c in changed["claims"] for v in c["values"] if v["measure"] == measure)
    hit.update(change)
    report = check_ledgers([write(tmp_path, changed)], Package(pair))
    assert any(says in v.reason for v in report.violations), report


def test_catches_gdp_of_another_year(tmp_path, pair):
    changed = drafted(pair)
    hit = next(v for c in changed["claims"] for v in c["values"] if v["measure"] == "gdp_share")
    hit["rows"][-1]["year"] = 2019
    report = check_ledgers([write(tmp_path, changed)], Package(pair))
    assert any("divides 2020 trade by 2019 GDP" in v.reason for v in report.violations), report


def test_catches_no_transfers_said_where_sipri_has_deals(tmp_path):
    pair = make_pair("PAK", "BLR", arms=[deal("x", "USA", "PAK", 2019, "F-16", 1, 1, [2020], 5.0)])
    record = drafted(pair)
    assert check_ledgers([write(tmp_path, record)], Package(pair)).ok
    pair.arms.loc[0, "supplier"] = "BLR"     # now Belarus supplied Pakistan: "no transfers" is false
    report = check_ledgers([write(tmp_path, record)], Package(pair))
    assert any("SIPRI rows give 1 deals from BLR to PAK" in v.reason for v in report.violations), report
