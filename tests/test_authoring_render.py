"""An analyst's own notebook: Markdown with placeholders and citations, a seaborn figure and a
DataFrame table between the sections, through a real kernel as JupyterLab runs it, and through
`briefkit render --notebook`."""
from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"
TEXT = ("Relations were established on {{ event:pak-blr-relations }}, and by Pakistan's records trade "
        "stood at {{ trade:total:2020:PAK }} in 2020 [@imf-dots].")
FIGURE = """import seaborn as sns
frame = brief.pair.trade.query("reporter == 'PAK'")
with brief.chart_style():
    ax = sns.barplot(data=frame, x="year", y="exports_fob", color="#0072B2")
brief.figure(ax.figure, "Pakistan's exports to Belarus as Pakistan reports them", sources=["imf-dots"])"""
TABLE = """brief.table(frame[["year", "exports_fob", "imports_cif"]].tail(3).rename(columns=str.capitalize),
            "Pakistan's trade with Belarus, US$ million", sources=["imf-dots"])"""


def analyst_notebook(path):
    """The brief's notebook with the analyst's three cells after the cooperation section."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if 'brief.section("cooperation")' in c.source) + 1
    nb.cells[at:at] = [nbformat.v4.new_markdown_cell(TEXT), nbformat.v4.new_code_cell(FIGURE),
                       nbformat.v4.new_code_cell(TABLE)]
    nbformat.write(nb, path)
    return nb


def html_outputs(nb) -> list[str]:
    return ["".join(o["data"]["text/html"] for o in c.get("outputs", []) if "text/html" in o.get("data", {}))
            for c in nb.cells]


def test_cells_run_again_in_lab_give_the_numbers_of_run_all(tmp_path):
    nb = analyst_notebook(tmp_path / "mine.ipynb")
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):   # Run All
            client.execute_cell(cell, index)
        run_all = html_outputs(nb)
        figure = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "brief.figure" in c.source)
        cooperation = next(i for i, c in enumerate(nb.cells) if 'brief.section("cooperation")' in c.source)
        notes = len(nb.cells) - 1
        for index in (figure, cooperation, figure, notes, cooperation):   # again, out of order
            client.execute_cell(nb.cells[index], index)
        assert html_outputs(nb) == run_all
    caption = re.search(r"Figure (\d+) \(Pakistan&#39;s exports to Belarus", run_all[figure])
    drafted = [int(n) for h in run_all[:figure] for n in re.findall(r'<figure class="chart" id="figure-(\d+)"', h)]
    assert caption and int(caption.group(1)) == max(drafted) + 1
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.system
def test_render_with_an_analyst_notebook_places_and_numbers_their_cells(tmp_path):
    analyst_notebook(tmp_path / "mine.ipynb")
    done = subprocess.run([sys.executable, "-m", "briefkit.cli", "render", "--notebook", str(tmp_path / "mine.ipynb"),
                           "PAK", "BLR", "--to", "html,pdf", "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out" / "PAK-BLR" / "PAK-BLR.html").read_text(encoding="utf-8")
    assert "{{" not in html and "[@imf-dots]" not in html
    assert "Relations were established on February 3, 1994" in html and ", and by Pakistan's records" in html
    # in place: after the cooperation section, before the next one, numbered in reading order
    cooperation, mine, defence = (html.index('id="cooperation"'), html.index("Relations were established"),
                                  html.index("<h2>", html.index("Relations were established")))
    assert cooperation < mine < defence
    figures = [int(n) for n in re.findall(r'<figure class="chart" id="figure-(\d+)"', html)]
    tables = [int(n) for n in re.findall(r'<table class="brief-table" id="table-(\d+)"', html)]
    assert figures == sorted(figures) == list(range(1, len(figures) + 1))
    assert tables == list(range(1, len(tables) + 1))
    assert re.search(r"Figure \d+ \(Pakistan's exports to Belarus as Pakistan reports them\)", html)
    assert re.search(r"Table \d+ \(Pakistan's trade with Belarus, US\$ million\)", html)
    first_calls = [int(n) for n in re.findall(r'id="fnref-(\d+)"', html)]
    assert first_calls == list(range(1, len(first_calls) + 1))   # notes in call order, none skipped
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "out" / "PAK-BLR" / "PAK-BLR.pdf").pages)
    assert "Pakistan's exports to Belarus as Pakistan reports them" in re.sub(r"\s+", " ", text)
    executed = nbformat.read(tmp_path / "out" / "PAK-BLR" / "PAK-BLR.ipynb", as_version=4)
    assert any(c.metadata.get("briefkit", {}).get("markdown") for c in executed.cells)
    assert "brief.markdown" not in (tmp_path / "mine.ipynb").read_text(encoding="utf-8")   # the analyst's file is untouched


@pytest.mark.system
@pytest.mark.parametrize("change, message", [
    (lambda nb: nb.cells.insert(5, nbformat.v4.new_markdown_cell("Trade was {{ trad:total:2020:PAK }}.")),
     'mine.ipynb: Markdown cell 6 (Trade was {{ trad:total:2020:PAK }}.) failed: DataPackageError: '
     'Unknown placeholder kind "trad" in {{ trad:total:2020:PAK }} (did you mean "trade"?)'),
    (lambda nb: next(c for c in nb.cells if 'brief.section("cooperation")' in c.source).metadata.update(
        tags=["remove-output"]), "shows part of the brief, numbered with it, but is tagged remove-output"),
])
def test_a_mistake_in_the_analyst_notebook_is_one_line(tmp_path, change, message):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    change(nb)
    nbformat.write(nb, tmp_path / "mine.ipynb")
    done = subprocess.run([sys.executable, "-m", "briefkit.cli", "render", "--notebook", str(tmp_path / "mine.ipynb"),
                           "PAK", "BLR", "--to", "html", "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "PAK-BLR" / "PAK-BLR.html").exists()
