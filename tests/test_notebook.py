"""The notebook as an analyst uses it in JupyterLab: Run All, no papermill, the brief under the cells."""
from __future__ import annotations

import re

import nbformat
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"


def test_run_all_shows_the_brief_in_the_notebook():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if "text/html" in o.get("data", {})]
    assert any("NEARING 30 YEARS OF PAKISTAN-BELARUS RELATIONS" in h for h in html)
    assert any('<figure class="chart" id="figure-1">' in h for h in html)
    assert any('<section class="notes">' in h for h in html)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


def test_the_notebook_reads_as_the_brief():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert "country_a" in code[0].source and "country_b" in code[0].source and "data" in code[0].source
    for line in code[0].source.splitlines():  # one parameter a line, typed and explained for papermill
        assert re.fullmatch(r'\w+: ("Optional\[str\]"|str) = .+  # .{10,}', line), line
    for cell in code[1:]:
        assert len(cell.source.splitlines()) <= 4, cell.source  # short cells that call briefkit
    assert all(not c.get("outputs") for c in code)  # shipped clean: outputs come from running it
