"""The brief as one document: numbered once, so cells can run in any order; analyst and drafted
sections side by side."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from briefkit.brief import Brief
from briefkit.content.document import build
from pairs import make_pair

TRADE = {("PAK", y): (10 + y - 2010, 20) for y in range(2010, 2021)} | \
        {("BLR", y): (25, 12 + y - 2010) for y in range(2010, 2021)}
EVENTS = [("pak-blr-relations", "PAK", "BLR", "1994-02-03", "relations", "Diplomatic relations established",
           None, None, None, None, "news")]


def test_cells_give_the_same_numbers_in_any_order_and_on_rerun():
    brief = Brief(make_pair("PAK", "BLR", TRADE, events=EVENTS), as_of=dt.date(2024, 2, 2))
    order = ["opening", "history", "cooperation", "multilateral", "challenges", "next", "conclusion"]
    first = {s: brief.section(s).html for s in order}
    again = {s: brief.section(s).html for s in reversed(order)}
    assert first == again
    assert brief.section("cooperation").html == first["cooperation"]
    numbers = re.findall(r'id="figure-(\d+)"', first["cooperation"])
    assert numbers == ["1", "2", "3"]


def test_an_empty_analyst_section_keeps_the_drafted_text():
    pair = dataclasses.replace(make_pair("PAK", "BLR", TRADE), prose="## Conclusion {#conclusion}\n\n")
    doc = build(pair, dt.date(2024, 2, 2))
    assert doc.sections["conclusion"].origin == "drafted"


def test_analyst_prose_states_figure_numbers_through_placeholders():
    prose = ("## Cooperation {#cooperation}\n\nTrade is charted ({{ ref:figure:trade_annual }}).\n\n"
             "{{ figure:trade_total }}\n\n{{ figure:trade_annual }}\n")
    doc = build(dataclasses.replace(make_pair("PAK", "BLR", TRADE), prose=prose), dt.date(2024, 2, 2))
    (claim,) = [c for c in doc.claims if c.rule == "analyst"]
    assert claim.text == "Trade is charted (Figure 2)."


def test_a_drafted_sentence_that_repeats_the_analyst_is_left_out():
    prose = "## Opening {#opening}\n\nRelations date from {{ event:pak-blr-relations }}.\n"
    doc = build(dataclasses.replace(make_pair("PAK", "BLR", events=EVENTS), prose=prose), dt.date(2024, 2, 2))
    assert "history" not in doc.sections      # its only sentence restates the analyst's row


def test_a_note_called_twice_keeps_its_number():
    prose = "## Opening {#opening}\n\nOne [@news].\n\nTwo [@news].\n"
    doc = build(dataclasses.replace(make_pair("PAK", "BLR"), prose=prose), dt.date(2024, 2, 2))
    assert [n.number for n in doc.notes] == [1]
    html = Brief.__new__(Brief)
    html.doc = doc
    opening = html.section("opening").html
    assert opening.count('<span class="fn"') == 1 and opening.count('class="fn-call again"') == 1
