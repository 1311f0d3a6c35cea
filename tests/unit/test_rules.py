"""Each sentence rule on a small in-memory pair: what it may say, and what it must not."""
from __future__ import annotations

import datetime as dt

from briefkit.content import rules
from briefkit.content.claims import template_names
from briefkit.content.document import build
from pairs import brief_text, figures, make_pair

# Kazakhstan-China, 2020, as the two sides report it (US$ million): each side's records show
# itself with the surplus (China 11,710 exports vs 9,730 imports; Kazakhstan 9,010 vs 6,350).
KAZ_CHN = {("KAZ", 2020): (9010, 6350), ("CHN", 2020): (11710, 9730),
           ("KAZ", 2010): (8000, 6200), ("CHN", 2010): (9300, 11000),
           ("KAZ", 2013): (14000, 9000), ("CHN", 2013): (12500, 16000)}


def said(rule_id, pair, section="s"):
    return [c.text for c in rules.apply(rule_id, figures(pair), section)]


def test_balance_is_not_stated_as_fact_when_the_reporters_disagree():
    text = said("trade.balance", make_pair("KAZ", "CHN", KAZ_CHN))
    assert len(text) == 1
    assert "The balance favours" not in text[0]
    assert "US$1.98 billion for China" in text[0] and "US$2.66 billion for Kazakhstan" in text[0]


def test_balance_is_stated_as_fact_when_both_records_agree():
    pair = make_pair("PAK", "BLR", {("PAK", 2020): (1.0, 33.4), ("BLR", 2020): (36.7, 15.5)})
    text = said("trade.balance", pair)[0]
    assert text.startswith("The balance favours Belarus by both sides' records")


def test_balance_one_reporter_is_attributed():
    pair = make_pair("PAK", "BLR", {("BLR", 2020): (36.7, 15.5)})
    assert said("trade.balance", pair)[0].startswith("By Belarus's records, the balance in 2020 favoured Belarus")


def test_valuation_is_offered_only_for_a_gap_it_can_explain():
    # CHN→KAZ: exporter 11,710 FOB, importer 6,350 CIF: the importer is far lower
    lower = said("trade.mirror", make_pair("KAZ", "CHN", KAZ_CHN))
    assert any("China reported exports to Kazakhstan" in t for t in lower)
    assert all("freight and insurance" not in t for t in lower if "China reported exports" in t)
    assert any("cannot explain" in t for t in lower)
    # importer higher: valuation explains part of it
    higher = said("trade.mirror", make_pair("TUR", "PAK", {("TUR", 2020): (400, 50), ("PAK", 2020): (60, 620)}))
    assert any("freight and insurance" in t for t in higher)


def test_mirror_claims_carry_no_dataset_footnote_for_a_cause():
    claims = rules.apply("trade.mirror", figures(make_pair("KAZ", "CHN", KAZ_CHN)), "s")
    for c in claims:
        # the values are the two figures; nothing cites a source for the explanation
        assert [v.measure for v in c.values] == ["exports", "imports"]


def test_no_growth_verb_when_the_figures_fell():
    pair = make_pair("BLR", "CHN", {("BLR", 2019): (700, 3780), ("BLR", 2020): (748, 3709),
                                    ("CHN", 2019): (1778, 914), ("CHN", 2020): (2109, 895)})
    texts = brief_text(pair)
    turn = texts.get("opening/opening.trade_turn", "")
    assert "rose" not in turn and "grew" not in turn      # Belarus's total fell, China's rose: no agreed turn


def test_a_decade_of_growth_below_the_peak_gets_its_peak_sentence():
    texts = brief_text(make_pair("KAZ", "CHN", KAZ_CHN))
    trend = texts["cooperation/trade.trend"]
    assert "2010" in trend
    peak = texts["cooperation/trade.peak"]
    assert "2013" in peak and "below its peak" in peak


def test_disputed_trend_says_who_reports_what():
    pair = make_pair("PAK", "RUS", {("PAK", 2010): (100, 200), ("PAK", 2020): (150, 250),
                                    ("RUS", 2010): (300, 100), ("RUS", 2020): (200, 50)})
    text = said("trade.trend", pair)[0]
    assert text.startswith("The two sides' records do not agree") and "grew" not in text


def test_no_conclusion_is_drawn_from_missing_rows():
    texts = brief_text(make_pair("IND", "RUS", {("IND", 2020): (2560, 5930), ("RUS", 2020): (5960, 3460)}))
    joined = " ".join(texts.values())
    assert "Few political milestones" not in joined and "denser agenda" not in joined
    assert "draws no conclusion from their absence" in texts["conclusion/conclusion.coverage"]


def test_heading_names_what_the_section_holds():
    doc = build(make_pair("IND", "RUS", {("IND", 2020): (2560, 5930), ("RUS", 2020): (5960, 3460),
                                         ("IND", 2019): (2400, 5000), ("RUS", 2019): (5000, 3000)}), dt.date(2026, 1, 1))
    assert doc.sections["cooperation"].title == "Trade"
    assert all(b.__class__.__name__ != "Heading" for b in doc.sections["cooperation"].blocks)


def test_imported_rows_keep_their_own_source_and_no_comparison_mixes_sources():
    trade = {("PAK", y): (10 + y - 2010, 20) for y in range(2010, 2021)}
    trade[("PAK", 2022)] = (5, 8)
    pair = make_pair("PAK", "BLR", trade, source={("PAK", 2022): "comtrade-x"}, estimated={("PAK", 2022)})
    f = figures(pair)
    assert f.years("PAK")[-1] == 2020                      # the main series is the IMF's
    texts = brief_text(pair)
    other = texts["cooperation/trade.other_sources"]
    assert "UN Comtrade" in other and "2022" in other and "IMF estimate" not in other
    assert "1960" not in texts["cooperation/trade.coverage"] and "2022" not in texts["cooperation/trade.coverage"]
    for claim in build(pair, dt.date(2026, 1, 1)).claims:
        for v in claim.values:
            if v.measure == "change":
                assert len({r.source for r in v.rows}) == 1


def test_staleness_is_said():
    texts = brief_text(make_pair("IND", "RUS", {("IND", 2020): (2560, 5930), ("RUS", 2020): (5960, 3460)}))
    assert "2020 is the latest year they hold, six years before this brief" in texts["cooperation/trade.coverage"]


MEMBERSHIPS = [("KAZ", "UN", "full", 1992, None, "cow-igo"), ("CHN", "UN", "full", 1945, None, "cow-igo"),
               ("KAZ", "NAM", "observer", 1995, None, "cow-igo"), ("CHN", "NAM", "observer", 1992, None, "cow-igo"),
               ("KAZ", "SCO", "full", 2001, None, "cow-igo"), ("CHN", "SCO", "full", 2001, None, "cow-igo")]


def test_forums_count_members_only_and_spell_small_numbers():
    texts = brief_text(make_pair("KAZ", "CHN", memberships=MEMBERSHIPS))
    members = texts["multilateral/forums.members"]
    assert "two forums" in members and "Non-Aligned" not in members and "2 " not in members
    assert "both observers in the Non-Aligned Movement, not members" in texts["multilateral/forums.other_status"]


def test_no_claim_is_printed_twice_and_the_headline_figure_once():
    pair = make_pair("KAZ", "CHN", KAZ_CHN | {("KAZ", 2019): (8000, 6000), ("CHN", 2019): (11000, 9000)})
    claims = build(pair, dt.date(2026, 1, 1)).claims
    texts = [c.text for c in claims]
    assert len(texts) == len(set(texts))
    headline = "US$21.44 billion"
    assert sum(t.count(headline) for t in texts) == 1


def test_a_pair_with_no_data_gets_a_short_honest_brief():
    doc = build(make_pair("TUR", "PAK"), dt.date(2026, 1, 1))
    texts = [c.text for c in doc.claims]
    assert len(texts) == 1
    assert texts[0].startswith("The data package holds no trade figures, events or stated figures for Türkiye and Pakistan")


def test_every_sentence_template_is_used_by_a_rule():
    import re
    from pathlib import Path

    code = "".join(p.read_text() for p in Path(rules.__file__).parent.glob("*.py"))
    used = set(re.findall(r'say\("([a-z_.]+)"', code))
    assert set(template_names()) == used


def test_no_peak_sentence_when_the_latest_year_is_negligible():
    """A fall to negligible trade gives no percentage (and no crash): PAK-TUV, FJI-NER in the package."""
    trade = {("PAK", 2018): (5.0, 1.0), ("PAK", 2020): (0.01, 0.0), ("BLR", 2018): (1.0, 4.0), ("BLR", 2020): (0.0, 0.02)}
    assert said("trade.peak", make_pair("PAK", "BLR", trade)) == []
