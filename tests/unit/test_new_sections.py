"""The drafted sections built on arms transfers, UN ideal points, trade agreements and GDP: each rule
on a small in-memory pair, what it may say and what it must not."""
from __future__ import annotations

import datetime as dt

import pytest

from briefkit.content import charts, rules, tables
from briefkit.content.document import build
from pairs import deal, figures, make_pair

# China → Pakistan: the J-10C deal as SIPRI records it (36 ordered in 2021, 25 delivered 2022-23,
# 937.5 million TIV delivered), an older deal, and one other supplier of Pakistan's.
ARMS = [deal("d1", "CHN", "PAK", 2021, "J-10C", 36, 25, [2022, 2023], 937.5),
        deal("d2", "CHN", "PAK", 1965, "MiG-15UTI", 4, 4, [1966, 1967], 4.8),
        deal("d3", "USA", "PAK", 2019, "F-16", 10, 10, [2015, 2024], 200.0),
        deal("d4", "RUS", "CHN", 2018, "Su-35", 24, 24, [2024], 50.0)]


def said(rule_id, pair, as_of=dt.date(2026, 1, 1)):
    return [c.text for c in rules.apply(rule_id, figures(pair, as_of), "s")]


def claims(rule_id, pair):
    return rules.apply(rule_id, figures(pair), "s")


# ---- arms ------------------------------------------------------------------------------------

def test_transfers_each_way_in_tiv_never_money():
    text = said("defence.transfers", make_pair("PAK", "CHN", arms=ARMS))
    assert text[0].startswith("SIPRI records two deals for major arms from China to Pakistan, ordered between 1965 "
                              "and 2021, with 942 million TIV delivered")
    assert "volume of military capability" in text[0] and "$" not in text[0]
    assert text[1] == "It records no transfers of major arms from Pakistan to China since 1950."


def test_no_transfers_either_way_is_a_finding_cited_with_the_credit_line():
    pair = make_pair("PAK", "BLR", arms=[deal("x", "USA", "PAK", 2019, "F-16", 1, 1, [2020], 5.0)])
    found = claims("defence.transfers", pair)
    assert [c.text for c in found] == [
        "SIPRI's Arms Transfers Database, which covers transfers of major conventional arms worldwide since 1950, "
        "records no transfers of major arms between Pakistan and Belarus in either direction."]
    doc = build(pair, dt.date(2026, 1, 1))
    note = next(n.text for n in doc.notes if n.source_id == "sipri-arms")
    assert "Information from the SIPRI Arms Transfers Database." in note


def test_no_arms_table_in_the_package_says_nothing():
    assert said("defence.transfers", make_pair("PAK", "BLR")) == []


def test_supplier_share_spreads_tiv_over_delivery_years_of_the_window():
    # window 2015-2024: J-10C 937.5 (both years in), F-16 half of 200 (2015 in, 2024 in → all 200)
    text = said("defence.supplier_share", make_pair("PAK", "CHN", arms=ARMS))
    assert text == ["Over 2015-2024, China delivered 938 million TIV of major arms to Pakistan: 82% of Pakistan's "
                    "imports of major arms by that measure, ranking 1st of 2 among its suppliers."]


def test_supplier_share_counts_only_the_years_inside_the_window():
    arms = [deal("a", "CHN", "PAK", 2010, "X", 4, 4, [2013, 2014, 2015, 2016], 400.0),
            deal("b", "USA", "PAK", 2016, "Y", 1, 1, [2016], 200.0)]
    found = claims("defence.supplier_share", make_pair("PAK", "CHN", arms=arms))
    share = next(v for v in found[0].values if v.measure == "tiv_share")
    assert share.number == pytest.approx(400 / 600 * 100)   # window 2007-2016: all of China's 400, the US's 200
    arms[0]["delivery_years"], arms[0]["last_delivery"] = "2005; 2006; 2015; 2016", 2016
    found = claims("defence.supplier_share", make_pair("PAK", "CHN", arms=arms))
    tiv = next(v for v in found[0].values if v.measure == "tiv_window")
    assert tiv.number == pytest.approx(200.0)    # half of 400: two of four delivery years in 2007-2016


def test_supplier_share_guarded_by_minimum_volume():
    arms = [deal("a", "CHN", "PAK", 2020, "X", 1, 1, [2021], 2.0), deal("b", "USA", "PAK", 2020, "Y", 1, 1, [2021], 3.0)]
    assert said("defence.supplier_share", make_pair("PAK", "CHN", arms=arms)) == []


def test_arms_table_lists_latest_deals():
    data = tables.build("arms", figures(make_pair("PAK", "CHN", arms=ARMS)))
    assert data.rows[0][0] == ("2021", "China → Pakistan", "J-10C (FGA aircraft)", "36", "25", "2022, 2023")
    assert len(data.rows) == 2


# ---- UN alignment ----------------------------------------------------------------------------

def points(session_a_b: dict, others=(1.0, 2.0, 3.0)):
    out = {}
    for s, (pa, pb) in session_a_b.items():
        out[("PAK", s)], out[("CHN", s)] = pa, pb
        for i, p in enumerate(others):
            out[(f"X{i}", s)] = p
    return out


def test_standing_among_all_pairs_of_the_session():
    # points 1, 2, 3 and PAK -0.421, CHN -0.1: 10 pairs, none closer than the pair's 0.321
    pair = make_pair("PAK", "CHN", points=points({68: (0.0, 0.5), 78: (-0.421, -0.1)}))
    text = said("alignment.standing", pair)
    assert text[0].startswith("In the UN General Assembly's session 78 (2023)")
    assert "Pakistan and China 0.32 apart" in text[0] and "as close as any pair" in text[0]
    assert "not how friendly" in text[0]
    pair = make_pair("PAK", "CHN", points=points({78: (-0.421, 0.9)}))
    # CHN at 0.9: 1.321 apart; four pairs closer (1, 1, 0.1, 1.1), five farther
    assert "closer than 50% of the 10 pairs of members" in said("alignment.standing", pair)[0]


def test_trend_uses_direction_words_only_beyond_the_threshold():
    wide = make_pair("PAK", "CHN", points=points({68: (0.0, 0.1), 78: (-0.421, 0.2)}))
    assert said("alignment.trend", wide) == ["Over the last decade the distance widened, from 0.10 in 2013 to 0.62 in 2023."]
    flat = make_pair("PAK", "CHN", points=points({68: (0.0, 0.1), 78: (0.0, 0.2)}))
    assert said("alignment.trend", flat) == ["Over the last decade the distance changed little, from 0.10 in 2013 to "
                                             "0.20 in 2023."]


def test_alignment_figure_has_source_line_and_refs():
    chart = charts.draw("alignment_distance", figures(make_pair("PAK", "CHN", points=points({68: (0.0, 0.1),
                                                                                            78: (-0.421, 0.2)}))))
    assert chart.svg.startswith("<svg") and "not how friendly" in chart.source_line
    assert chart.refs[0].source == "unga-ideal-points"


def test_no_ideal_points_say_nothing():
    assert said("alignment.standing", make_pair("PAK", "CHN")) == []
    assert said("alignment.trend", make_pair("PAK", "CHN", points=points({78: (0.0, 0.1)}))) == []


# ---- trade agreements and GDP ------------------------------------------------------------------

FTA = ("desta-224", "China Pakistan", "bilateral", 2006, 2007, {"PAK": (2006, None), "CHN": (2006, None)})


def test_agreements_in_force_with_signature_and_entry_years():
    left = ("desta-9", "Old Pact", "plurilateral", 1990, 1991, {"PAK": (1991, 1999), "CHN": (1991, None)})
    pending = ("desta-10", "Talks", "plurilateral", None, None, {"PAK": (None, None), "CHN": (None, None)})
    text = said("agreements.in_force", make_pair("PAK", "CHN", agreements=[FTA, left, pending]))
    assert text == ["In DESTA's records, Pakistan and China are both parties to one preferential trade agreement in "
                    "force by 2020: the China Pakistan agreement (bilateral, signed in 2006, in force from 2007)."]
    data = tables.build("trade_agreements", figures(make_pair("PAK", "CHN", agreements=[FTA, left])))
    assert [r[0] for r in data.rows] == [("China Pakistan", "bilateral", "2006", "2007")]


def test_agreement_not_yet_in_force_at_the_briefs_date():
    assert said("agreements.in_force", make_pair("PAK", "CHN", agreements=[FTA]), dt.date(2006, 6, 1)) == []


def test_trade_as_share_of_gdp_names_the_year_and_never_mixes_years():
    trade = {("PAK", 2020): (1000.0, 9000.0), ("CHN", 2020): (15000.0, 2000.0), ("PAK", 2021): (1, 2),
             ("CHN", 2021): (1, 2)}
    pair = make_pair("PAK", "CHN", trade, gdp={("PAK", 2020): 300e9, ("CHN", 2022): 17e12})
    text = said("trade.gdp_share", pair)
    assert text == ["By Pakistan's records and the World Bank's GDP figures, trade with China came to 3.3% of "
                    "Pakistan's GDP in 2020."]


def test_the_notebook_prints_every_section_in_house_order():
    """A section missing from the notebook would be drafted and never printed."""
    import json

    from briefkit.content.sections import SECTIONS
    from briefkit.execute import NOTEBOOK

    cells = ["".join(c["source"]) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]]
    printed = [c.split('"')[1] for c in cells if c.startswith("brief.section(")]
    assert printed == [s.id for s in SECTIONS]


def test_unnamed_suppliers_count_in_the_whole_but_not_in_the_ranking():
    arms = [deal("a", "CHN", "PAK", 2020, "X", 1, 1, [2021], 60.0), deal("b", "USA", "PAK", 2020, "Y", 1, 1, [2021], 20.0),
            deal("c", None, "PAK", 2020, "Z", 1, 1, [2021], 20.0)]
    assert said("defence.supplier_share", make_pair("PAK", "CHN", arms=arms)) == [
        "Over 2012-2021, China delivered 60 million TIV of major arms to Pakistan: 60% of Pakistan's imports of major "
        "arms by that measure, ranking 1st of 2 among its suppliers."]
