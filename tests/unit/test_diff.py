"""briefkit.diff: what changed between two editions, on ledgers built in the test (tests/unit/ledgers.py)."""
from __future__ import annotations

import json

import pytest
from ledgers import TRADE, build, claims_citing

from briefkit.diff import NO_CHANGE, LedgerError, changes, sentences, word_diff


def corrected(key, exports=None, imports=None):
    trade = dict(TRADE)
    x, m = trade[key]
    trade[key] = (x if exports is None else exports, m if imports is None else imports)
    return trade


@pytest.mark.parametrize("key", list(TRADE))
def test_a_corrected_trade_row_changes_exactly_the_claims_that_use_it(key):
    old = build()
    new = build(trade=corrected(key, exports=TRADE[key][0] + 7.3), digest="sha256:" + "b" * 64)
    row = {"reporter": key[0], "partner": key[1], "year": key[2]}
    ch = changes(old, new)
    assert {c.id for c in ch.changed} == claims_citing(old, "trade", row)
    assert not ch.added and not ch.removed and not ch.sections
    assert ch.moved == bool(claims_citing(old, "trade", row))  # a row no claim uses changes nothing said
    for c in ch.changed:
        assert c.old_text != c.new_text
        # every value reported differs, old and new both given, each with its source rows
        for v in c.values:
            assert v.old["number"] != v.new["number"] and v.old["text"] != v.new["text"]
            assert v.new["rows"] and v.new["table"] == "trade"


def test_the_balance_claim_reports_its_old_and_new_value():
    new = build(trade=corrected(("PAK", "BLR", 2020), imports=15.9))
    ch = changes(build(), new)
    balance = next(c for c in ch.changed if c.id == "cooperation/trade.balance")
    [value] = balance.values
    assert (value.old["text"], value.new["text"]) == ("US$20.1 million", "US$15.1 million")
    assert value.new["rows"] == [{"reporter": "PAK", "partner": "BLR", "year": 2020, "source": "imf-dots",
                                  "table": "trade"}]
    assert ("delete", "US$20.1") in balance.words and ("insert", "US$15.1") in balance.words
    assert "balance, 2020, as PAK reports" == value.label


def test_an_analysts_edited_sentence_is_a_text_change_of_that_sentence():
    from ledgers import HISTORY

    edited = list(HISTORY)
    edited[1] = "The two countries opened embassies in each other's capitals only in 2014 and 2015."
    ch = changes(build(), build(history=edited))
    assert not ch.changed and not ch.added and not ch.removed
    [section] = ch.sections
    assert (section.id, section.origin, section.status) == ("history", "analyst", "edited")
    [edit] = section.edits
    assert (edit.old, edit.new) == (HISTORY[1], edited[1])
    assert [w for op, w in edit.words if op == "delete"] == ["two decades later."]
    assert [w for op, w in edit.words if op == "insert"] == ["only in 2014 and 2015."]


def test_an_edited_sentence_in_an_analysts_paragraph_with_placeholders_is_that_sentence():
    from ledgers import RELATIONS

    edited = RELATIONS.replace("every year since", "with a reception in each embassy")
    ch = changes(build(), build(relations=edited))
    [claim] = ch.changed
    assert claim.id == "history/analyst" and not claim.values and not ch.sections
    [edit] = claim.sentences
    assert edit.old == "Both capitals have marked the date every year since."
    assert edit.new == "Both capitals have marked the date with a reception in each embassy."


def test_reordered_rows_and_a_new_unrelated_source_change_nothing_the_brief_says():
    shuffled = dict(reversed(list(TRADE.items())))
    ch = changes(build(), build(trade=shuffled, digest="sha256:" + "c" * 64))
    assert not ch.moved and ch.summary() == NO_CHANGE
    assert ch.old["data_digest"] != ch.new["data_digest"]


def test_notes_are_compared_by_what_they_say_not_their_number():
    ch = changes(build(), build(extra_note=("un-comtrade", "UN Comtrade, accessed on May 1, 2024.")))
    assert ch.notes_added == ({"source": "un-comtrade", "text": "UN Comtrade, accessed on May 1, 2024."},)
    assert not ch.notes_removed and not ch.changed
    assert changes(build(extra_note=("x", "A note.")), build()).notes_removed == ({"source": "x", "text": "A note."},)


def test_added_and_removed_claims_are_reported_and_not_as_section_edits():
    old, new = build(), build()
    new["claims"] = [c for c in new["claims"] if c["id"] != "challenges/trade.mirror"]
    new["sections"][2]["text"] = ""
    ch = changes(old, new)
    assert [c["id"] for c in ch.removed] == ["challenges/trade.mirror"] and not ch.added
    assert not ch.sections
    back = changes(new, old)
    assert [c["id"] for c in back.added] == ["challenges/trade.mirror"]
    assert back.counts == {"added": 1, "removed": 0, "changed": 0, "sections": 0, "notes_added": 0,
                           "notes_removed": 0}


def test_the_summary_is_json_ready():
    ch = changes(build(), build(trade=corrected(("BLR", "PAK", 2020), exports=1.0)))
    data = json.loads(json.dumps(ch.as_dict()))
    assert data["moved"] is True and data["counts"]["changed"] == 1
    assert data["changed"][0]["values"][0]["new"]["number"] == 1.0


def test_something_that_is_not_a_ledger_is_refused():
    with pytest.raises(LedgerError, match="briefkit-claims/1"):
        changes({"format": "other"}, build())


def test_words_and_sentences():
    assert word_diff("a b c", "a x c") == (("equal", "a"), ("delete", "b"), ("insert", "x"), ("equal", "c"))
    assert sentences("Trade rose 2.5% in 2020. It fell in 2021: sharply.") == [
        "Trade rose 2.5% in 2020.", "It fell in 2021: sharply."]
