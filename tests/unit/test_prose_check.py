"""Prose checked against the package: each unknown placeholder kind or id, and each unknown source, with file and line."""
import re

import pandas as pd
import pytest

from briefkit import prose_check
from briefkit.prose_check import check_prose, check_text

IDS = {"events": {"pak-blr-relations", "pak-rus-arms-embargo-lifted", "chn-rus-treaty"},
       "statements": {"pak-blr-2019-trade"}, "sources": {"imf-dots", "pakemb-minsk-overview"}}
SIDES = {"events": {"pak-blr-relations": {"PAK", "BLR"}, "pak-rus-arms-embargo-lifted": {"PAK", "RUS"},
                    "chn-rus-treaty": {"CHN", "RUS"}},
         "statements": {"pak-blr-2019-trade": {"PAK", "BLR"}}}
PAIR = {"PAK", "BLR"}


def messages(text):
    return [str(p) for p in check_text(text, "prose/PAK-BLR.md", PAIR, IDS, SIDES)]


def test_good_prose_has_no_problem():
    text = ("## Opening {#opening}\n\nRelations date from {{ event:pak-blr-relations }}[@imf-dots], "
            "after {{ event:pak-rus-arms-embargo-lifted }}; trade was {{ statement:pak-blr-2019-trade }} "
            "and {{ trade:total:2019:BLR }}.\n\n{{ figure:trade_total }}\n\n{{ table:visits }}\n")
    assert messages(text) == []


def test_unknown_event_id_is_named_with_its_line_and_a_suggestion():
    text = "## Opening {#opening}\n\nA line.\n\nSince {{ event:pak-blr-relation }}.\n"
    assert messages(text) == ['prose/PAK-BLR.md, line 5: no event "pak-blr-relation" in events.csv '
                              '(did you mean "pak-blr-relations"?) in {{ event:pak-blr-relation }}']


def test_unknown_kind_lists_the_known_kinds():
    (message,) = messages("\n\nWe note {{ evnt:pak-blr-relations }} here.")
    assert message.startswith('prose/PAK-BLR.md, line 3: unknown placeholder kind "evnt" (did you mean "event"?); '
                              "known: event, anniversary, statement, trade, change, favours, ref, figure, table")


def test_unknown_source_and_statement_and_the_line_of_each():
    text = "One [@imf-dost].\nTwo {{ statement:pak-blr-2018-trade }}.\n\nThree {{ anniversary:nope }}."
    found = messages(text)
    assert [re.match(r".*?, line (\d+):", m).group(1) for m in found] == ["1", "2", "4"]
    assert 'unknown source "imf-dost" in [@imf-dost] (did you mean "imf-dots"?)' in found[0]
    assert 'no statement "pak-blr-2018-trade" in statements.csv' in found[1]
    assert 'no event "nope"' in found[2]


def test_an_event_of_another_pair_is_refused():
    (message,) = messages("Signed {{ event:chn-rus-treaty }}.")
    assert 'event "chn-rus-treaty" concerns CHN and RUS, not BLR or PAK' in message


def test_figures_tables_and_trade_forms():
    text = ("Inline {{ figure:trade_total }} here.\n\n{{ figure:trade_totl }}\n\n{{ table:vists }}\n\n"
            "{{ trade:total:2019:CHN }} and {{ trade:sum:2019:PAK }}")
    found = messages(text)
    assert "line 1: a figure stands in a paragraph of its own" in found[0]
    assert 'line 3: unknown figure "trade_totl" (did you mean "trade_total"?)' in found[1]
    assert 'line 5: unknown table "vists" (did you mean "visits"?)' in found[2]
    assert 'line 7: the reporter "CHN" is not a side of this brief' in found[3]
    assert "line 7: trade placeholders read" in found[4]


def test_comments_are_skipped_but_keep_the_line_count():
    text = "<!--\n{{ event:nope }}\n[@nope]\n-->\n## Next {#nxt}\n\n{{ event:nope }}"
    found = messages(text)
    assert found[0].startswith('prose/PAK-BLR.md, line 5: section id "nxt" is not a brief section (did you mean "next"?)')
    assert found[1].startswith('prose/PAK-BLR.md, line 7: no event "nope"')
    assert len(found) == 2


def test_check_prose_reads_the_files_briefs_csv_lists_and_reports_unlisted_ones(tmp_path):
    (tmp_path / "prose").mkdir()
    (tmp_path / "prose" / "PAK-BLR.md").write_text("## Opening {#opening}\n\n{{ event:missing }}\n")
    (tmp_path / "prose" / "PAK-CHN.md").write_text("## Opening {#opening}\n")
    tables = {"briefs": pd.DataFrame({"country_a": ["PAK"], "country_b": ["BLR"], "prose": ["prose/PAK-BLR.md"]}),
              "events": pd.DataFrame({"id": ["e1"], "country_a": ["PAK"], "country_b": ["BLR"]}),
              "statements": pd.DataFrame({"id": [], "country_a": [], "country_b": []}),
              "sources": pd.DataFrame({"id": ["s1"]})}
    found = [str(p) for p in check_prose(tmp_path, tables)]
    assert found[0] == 'prose/PAK-BLR.md, line 3: no event "missing" in events.csv in {{ event:missing }}'
    assert found[1].startswith("prose/PAK-CHN.md, line 1: no row of briefs.csv lists this file")
    assert len(found) == 2


def test_the_named_registries_match_the_brief():
    from briefkit.content.charts import CHARTS
    from briefkit.content.placeholders import SECTIONS
    from briefkit.content.tables import TABLES

    assert prose_check.FIGURES == tuple(CHARTS)
    assert prose_check.SECTIONS == SECTIONS
    assert prose_check.TABLES == tuple(TABLES)
