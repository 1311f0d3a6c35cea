"""The analyst's own text, figures and tables from the notebook: placed after the section shown
before them and numbered with the brief, without a kernel."""
from __future__ import annotations

import ast
import datetime as dt
import re

import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure

from briefkit.authoring import check_hidden, join_markdown
from briefkit.execute import describe
from briefkit.brief import Brief
from briefkit.content import ledger
from briefkit.errors import DataPackageError, NotebookError
from pairs import make_pair

TRADE = {("PAK", y): (10 + y - 2010, 20) for y in range(2010, 2021)} | \
        {("BLR", y): (25, 12 + y - 2010) for y in range(2010, 2021)}
POINTS = {(c, s): p for s in range(70, 79) for c, p in (("PAK", -0.4 - s / 1000), ("BLR", -0.9), ("CHN", -1.1))}
EVENTS = [("pak-blr-relations", "PAK", "BLR", "1994-02-03", "relations", "Diplomatic relations established",
           None, None, None, None, "news")]


def brief() -> Brief:
    b = Brief(make_pair("PAK", "BLR", TRADE, events=EVENTS, points=POINTS), as_of=dt.date(2024, 2, 2))
    b.front_matter()
    return b


def chart() -> Figure:
    fig = Figure(figsize=(4, 2))
    fig.add_subplot().plot([2019, 2020], [1, 2])
    return fig


def shown(b: Brief) -> dict[str, str]:
    return {s: b.section(s).html for s in b.doc.sections}


def figure_numbers(html: str) -> list[str]:
    return re.findall(r'<span class="caption">Figure (\d+) \(([^)]*)\)', html)


def test_a_figure_handed_over_after_a_section_is_numbered_in_reading_order():
    b = brief()
    before = figure_numbers(b.section("alignment").html)
    b.section("cooperation")
    mine = b.figure(chart(), "Exports by month", sources=["imf-dots"])
    assert figure_numbers(mine.html) == [(str(int(before[0][0])), "Exports by month")]
    after = figure_numbers(b.section("alignment").html)
    assert [int(n) for n, _ in after] == [int(n) + 1 for n, _ in before]   # the later figure moved on by one
    assert "Source: International Monetary Fund, Direction of Trade Statistics (DOTS)." in mine.html


def test_notes_are_numbered_with_the_analyst_text_in_its_place():
    b = brief()
    earlier = [int(n) for s in ("opening", "history") for n in re.findall(r'id="fnref-(\d+)"', b.section(s).html)]
    text = b.markdown("Ties go back to {{ event:pak-blr-relations }}. A file says so [@comtrade-x].", cell="md-1")
    cited = [int(n) for n in re.findall(r'id="fnref-(\d+)"', text.html)]
    assert cited == [max(earlier) + 1]   # the event's note was called before, in the opening
    assert b.doc.notes[cited[0] - 1].source_id == "comtrade-x"
    later = [int(n) for n in re.findall(r'id="fnref-(\d+)"', b.section("cooperation").html)]
    assert min(later) == cited[0] + 1   # the sections after the text continue its numbering
    assert "February 3, 1994" in text.html


def test_running_a_cell_again_replaces_what_it_added():
    b = brief()
    b.section("cooperation")
    b.figure(chart(), "Exports by month", sources=["imf-dots"], name="monthly")
    b.markdown("Trade stood at {{ trade:total:2020:PAK }}.", cell="md-1")
    first = shown(b)
    notes = list(b.doc.notes)
    b.section("conclusion")   # shown later: a cell run again keeps its first place all the same
    b.figure(chart(), "Exports by month", sources=["imf-dots"], name="monthly")
    b.markdown("Trade stood at {{ trade:total:2020:PAK }}.", cell="md-1")
    assert [(i.key, i.after) for i in b.doc.inserts] == [("monthly", "cooperation"), ("md-1", "cooperation")]
    assert shown(b) == first and b.doc.notes == notes


def test_an_edited_cell_run_again_changes_its_blocks_in_place():
    b = brief()
    b.section("history")
    b.markdown("First draft {{ trade:total:2020:PAK }}.", cell="md-1")
    again = b.markdown("Second draft.", cell="md-1")
    assert "Second draft." in again.html and len(b.doc.inserts) == 1
    assert not [c for c in b.doc.claims if "First draft" in c.text]


def test_a_table_from_a_dataframe_prints_numbers_as_the_brief_does():
    b = brief()
    frame = pd.DataFrame({"Year": [2021, 2022], "Value": [1234.5, 99], "Count": [12000, None],
                          "Item": ["Cotton", "Tractors"]})
    html = b.table(frame, "Main goods", sources="imf-dots").html
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    assert "<th>Year</th><th>Value</th><th>Count</th><th>Item</th>" in rows[0]
    assert rows[1] == "<td>2021</td><td>1,234.50</td><td>12,000</td><td>Cotton</td>"
    assert rows[2] == "<td>2022</td><td>99.00</td><td></td><td>Tractors</td>"
    assert re.search(r"<caption>Table \d+ \(Main goods\)<sup", html)


def test_a_table_keeps_a_named_index_as_its_first_column():
    b = brief()
    frame = pd.DataFrame({"Value": [1, 2]}, index=pd.Index(["a", "b"], name="Kind"))
    assert "<th>Kind</th><th>Value</th>" in b.table(frame, "Kinds", sources=["imf-dots"]).html


def test_analyst_text_enters_the_claims_ledger():
    b = brief()
    b.section("cooperation")
    b.markdown("Trade stood at {{ trade:total:2020:PAK }}.", cell="md-1")
    record = ledger.ledger(b.doc)
    (mine,) = [c for c in record["claims"] if c["section"] == "notebook"]
    assert mine["rule"] == "analyst" and mine["values"][0]["year"] == 2020 and mine["notes"]


@pytest.mark.parametrize("call, message", [
    (lambda b: b.figure(chart(), "Chart", sources=["imf-dot"]), 'Unknown source "imf-dot" in brief.figure (did you mean "imf-dots"?)'),
    (lambda b: b.figure(chart(), "Chart", sources=[]), "brief.figure needs the sources it draws on"),
    (lambda b: b.figure(chart(), " ", sources=["imf-dots"]), "brief.figure needs a caption"),
    (lambda b: b.figure("not a figure", "Chart", sources=["imf-dots"]), "brief.figure takes a matplotlib Figure"),
    (lambda b: b.table([1, 2], "Table", sources=["imf-dots"]), "brief.table takes a pandas DataFrame, not list"),
    (lambda b: b.markdown("Trade {{ trad:total:2020:PAK }}.", cell="x"), 'Unknown placeholder kind "trad"'),
])
def test_a_mistake_is_one_message_and_leaves_the_brief_as_it_was(call, message):
    b = brief()
    b.section("cooperation")
    before = shown(b)
    with pytest.raises(DataPackageError) as caught:
        call(b)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert b.doc.inserts == [] and shown(b) == before


def notebook(*cells) -> nbformat.NotebookNode:
    made = []
    for kind, source, tags in cells:
        cell = (nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell)(source)
        cell.metadata["tags"] = list(tags)
        made.append(cell)
    return nbformat.v4.new_notebook(cells=made)


def test_markdown_cells_below_the_opened_brief_become_brief_text():
    nb = notebook(("md", "# How to use this notebook", ()),
                  ("code", "brief = Brief.open(country_a, country_b)", ()),
                  ("md", "Trade reached {{ trade:total:2020:PAK }} [@imf-dots].\n\nA 'quoted' line.", ()),
                  ("md", "A note to myself", ("remove-cell",)),
                  ("md", "  \n", ()))
    ids = [c.id for c in nb.cells]
    join_markdown(nb)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "markdown", "markdown"]
    call = ast.parse(nb.cells[2].source).body[0].value
    assert ast.unparse(call.func) == "brief.markdown"
    assert ast.literal_eval(call.args[0]) == "Trade reached {{ trade:total:2020:PAK }} [@imf-dots].\n\nA 'quoted' line."
    assert ast.literal_eval(call.keywords[0].value) == ids[2] == nb.cells[2].id
    assert describe(nb.cells[2].source) == ("Markdown cell", "Trade reached {{ trade:total:2020:PAK }} [@imf-dots].")
    assert describe(nb.cells[1].source) == ("cell", "brief = Brief.open(country_a, country_b)")


def test_a_numbered_part_in_a_cell_left_out_of_the_export_is_refused():
    nb = notebook(("code", "brief.figure(fig, 'Chart', sources=['imf-dots'])", ("remove-output",)))
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<figure/>"},
                                                  metadata={"text/html": {"briefkit_part": "notebook"}})]
    with pytest.raises(NotebookError, match="cell 0 shows part of the brief, numbered with it, but is tagged remove-output"):
        check_hidden(nb, "mine.ipynb")
    nb.cells[0].metadata["tags"] = []
    check_hidden(nb, "mine.ipynb")
