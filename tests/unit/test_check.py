"""briefkit check: claims re-verified from rows by code of its own, so a rule's mistake shows."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from briefkit.check import check_ledgers
from briefkit.cli import main
from briefkit.content.document import build
from briefkit.content.ledger import dumps, ledger
from pairs import SOURCES, make_pair

KAZ_CHN = {("KAZ", 2020): (9010, 6350), ("CHN", 2020): (11710, 9730), ("KAZ", 2010): (8000, 6200),
           ("CHN", 2010): (9300, 11000)}


class Package:
    """The tables the checker reads, from an in-memory pair."""

    def __init__(self, pair):
        self.pair = pair

    def table(self, name):
        p = self.pair
        return {"trade": p.trade, "trade_totals": p.totals, "statements": p.statements, "events": p.events,
                "sources": SOURCES.reset_index(drop=True)}[name]


def value(reporter, year, measure, number, text, source="imf-dots"):
    partner = "CHN" if reporter == "KAZ" else "KAZ"
    return {"text": text, "number": number, "unit": "usd_million", "measure": measure, "year": year,
            "reporter": reporter, "partner": partner, "source": source, "table": "trade",
            "rows": [{"table": "trade", "reporter": reporter, "partner": partner, "year": year, "source": source}]}


def write(tmp_path, claims, pair="KAZ-CHN"):
    record = {"format": "briefkit-claims/1", "pair": pair, "countries": {"KAZ": "Kazakhstan", "CHN": "China"},
              "as_of": "2026-01-01", "data_digest": "test", "sections": [], "notes": [], "claims": claims}
    path = tmp_path / pair / f"{pair}.claims.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")
    return tmp_path


def claim(text, values=(), cid="cooperation/trade.balance"):
    return {"id": cid, "section": "cooperation", "rule": cid.split("/")[1], "text": text, "guards": [],
            "notes": [], "values": list(values)}


@pytest.fixture
def package():
    return Package(make_pair("KAZ", "CHN", KAZ_CHN))


def test_catches_one_reporters_balance_stated_as_fact(tmp_path, package):
    """The sentence the drafted KAZ-CHN brief printed before claims had guards."""
    old = claim("The balance favours China: in 2020 China's exports exceeded its imports by US$1.98 billion.",
                [value("CHN", 2020, "balance", 1980.0, "US$1.98 billion")])
    report = check_ledgers([write(tmp_path, [old])], package)
    assert [v.reason for v in report.violations] == [
        "says the balance in 2020 favours China by Kazakhstan's records, which favour Kazakhstan"]


def test_accepts_a_balance_that_says_who_reports_what(tmp_path, package):
    ok = claim("The two sides' records differ on the balance in 2020: China's figures show a surplus of "
               "US$1.98 billion for China, while Kazakhstan's figures show a surplus of US$2.66 billion for Kazakhstan.",
               [value("CHN", 2020, "balance", 1980.0, "US$1.98 billion"), value("KAZ", 2020, "balance", 2660.0, "US$2.66 billion")])
    assert check_ledgers([write(tmp_path, [ok])], package).ok


def test_catches_a_surplus_given_to_the_wrong_side_by_one_reporter(tmp_path, package):
    wrong = claim("The two sides' records differ on the balance in 2020: China's figures show a surplus of "
                  "US$1.98 billion for Kazakhstan, while Kazakhstan's figures show a surplus of US$2.66 billion for Kazakhstan.")
    report = check_ledgers([write(tmp_path, [wrong])], package)
    assert len(report.violations) == 1 and "by China's records, which favour China" in report.violations[0].reason


@pytest.mark.parametrize("val, says", [
    (value("KAZ", 2020, "total", 15000.0, "US$15 billion"), "the row gives 15360"),
    (value("KAZ", 2020, "total", 15360.0, "US$14.2 billion"), "prints 14200 million"),
    (value("KAZ", 2020, "total", 15360.0, "US$15.36 billion (an IMF estimate)"), "not one"),
    (value("KAZ", 2019, "total", 15360.0, "US$15.36 billion"), "no total in the trade row"),
    (value("KAZ", 2020, "total", 15360.0, "US$15.36 billion", source="nowhere"), "not in sources.csv"),
])
def test_catches_a_value_that_its_row_does_not_give(tmp_path, package, val, says):
    report = check_ledgers([write(tmp_path, [claim("In 2020, Kazakhstan reported …", [val], "cooperation/trade.level")])],
                           package)
    assert any(says in v.reason for v in report.violations), report


def test_catches_a_direction_word_the_figures_contradict(tmp_path, package):
    # China's figures fall 2010→2020 (20,300 → 21,440 is up; make it a claim of a fall)
    fell = claim("Trade fell between 2010 and 2020 by both sides' records: …", cid="cooperation/trade.trend")
    report = check_ledgers([write(tmp_path, [fell])], package)
    assert len(report.violations) == 2 and all("go from" in v.reason for v in report.violations)


def test_catches_a_change_across_two_sources(tmp_path):
    pair = make_pair("KAZ", "CHN", KAZ_CHN | {("KAZ", 2022): (100, 100)}, source={("KAZ", 2022): "comtrade-x"})
    change = {"text": "down 99%", "number": -98.7, "unit": "percent", "measure": "change", "year": 2022,
              "reporter": "KAZ", "partner": "CHN", "source": "imf-dots", "table": "trade",
              "rows": [value("KAZ", 2020, "total", 0, "")["rows"][0], value("KAZ", 2022, "total", 0, "", "comtrade-x")["rows"][0]]}
    report = check_ledgers([write(tmp_path, [claim("By Kazakhstan's figures, trade in 2022 was down 99% on 2020.",
                                                   [change], "cooperation/trade.trend")])], Package(pair))
    assert any("compares two sources" in v.reason for v in report.violations)


def test_every_drafted_claim_of_a_pair_passes(tmp_path):
    pair = make_pair("KAZ", "CHN", KAZ_CHN | {("KAZ", 2019): (8000, 6000), ("CHN", 2019): (11000, 9000)})
    record = ledger(build(pair, dt.date(2026, 1, 1)))
    path = tmp_path / "KAZ-CHN" / "KAZ-CHN.claims.json"
    path.parent.mkdir()
    path.write_text(dumps(record), encoding="utf-8")
    report = check_ledgers([tmp_path], Package(pair))
    assert report.claims >= 6 and report.ok, report


def test_command_line_prints_each_violation_and_exits_1(tmp_path, package, monkeypatch, capsys):
    import briefkit.datapackage as datapackage

    monkeypatch.setattr(datapackage, "open_package", lambda data=None: package)
    old = claim("The balance favours China: in 2020 China's exports exceeded its imports by US$1.98 billion.",
                [value("CHN", 2020, "balance", 1980.0, "US$1.98 billion")])
    assert main(["check", str(write(tmp_path, [old]))]) == 1
    out = capsys.readouterr().out
    assert "KAZ-CHN cooperation/trade.balance: says the balance in 2020 favours China" in out
    assert "1 brief, 1 claim checked: 1 violation" in out


def test_no_ledger_is_a_usage_error(tmp_path):
    assert main(["check", str(tmp_path / "nowhere")]) == 2
