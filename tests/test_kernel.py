"""The kernel a brief runs in: briefkit's launcher must change when a brief is ready, never what it says."""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import papermill
import pytest

from briefkit import kernel as kernel_module
from briefkit.execute import NOTEBOOK
from briefkit.kernel import kernel_for, start_kernel
from briefkit.render import render


def outputs(path: Path) -> list:
    """Every cell's outputs: what the brief is made of (papermill's timings left out)."""
    nb = nbformat.read(str(path), as_version=4)
    return [cell.get("outputs", []) for cell in nb.cells]


def test_the_briefkit_kernel_gives_the_outputs_of_jupyters_stock_kernel(pak_blr, tmp_path):
    """render() runs the notebook in `python -m briefkit.kernel` (started early, briefkit.brief
    preloaded); papermill on its own starts the `python3` kernel spec (ipykernel_launcher)."""
    stock = tmp_path / "stock.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(stock), parameters={"country_a": "PAK", "country_b": "BLR"},
                               kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK.parent))
    assert json.loads(stock.read_text())["metadata"]["kernelspec"]["name"] == "python3"
    ours = outputs(pak_blr.files["ipynb"])
    assert sum(len(o) for o in ours) > 5  # the brief is there: front matter, sections, notes
    assert ours == outputs(stock)


def test_closing_a_kernel_ends_its_process_and_removes_its_sockets():
    kernel = start_kernel(NOTEBOOK)
    process = kernel.manager.provisioner.process
    sockets = Path(kernel.sockets)
    assert process.poll() is None and sockets.is_dir()
    kernel.close()
    assert process.poll() is not None
    assert not sockets.exists()
    kernel.close()  # twice is harmless


def test_the_kernel_listens_on_no_tcp_port():
    with start_kernel(NOTEBOOK) as kernel:
        info = kernel.manager.get_connection_info()
        assert info["transport"] == "ipc"
        assert Path(info["ip"]).parent == Path(kernel.sockets)
        assert os.stat(kernel.sockets).st_mode & 0o077 == 0  # a private folder


def test_the_preloaded_import_leaves_the_namespace_as_a_fresh_kernels(tmp_path):
    with start_kernel(NOTEBOOK) as kernel:
        assert names_seen(tmp_path, km=kernel.manager) == names_seen(tmp_path)


# ---- a batch worker keeps its kernel from brief to brief ---------------------------------------------
@pytest.fixture
def no_kept_kernel():
    yield
    kernel_module.close_kept()


def names_seen(tmp_path: Path, km=None) -> tuple:
    """The execution count and what `dir()` shows of a notebook's first cell, run in the given
    kernel (default: one papermill starts from the stock `python3` spec)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(sorted(k for k in dir() if not k.startswith('_')))")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source, out = tmp_path / "names.ipynb", tmp_path / "names-run.ipynb"
    nbformat.write(nb, str(source))
    papermill.execute_notebook(str(source), str(out), kernel_name="python3", progress_bar=False, km=km)
    cell = nbformat.read(str(out), as_version=4).cells[0]
    return cell.execution_count, cell.outputs[0]["text"]


def test_a_kept_kernel_gives_the_next_brief_the_outputs_of_a_new_kernel(tmp_path, no_kept_kernel):
    """Two briefs in one kept kernel, against each in a kernel of its own: the same bytes, and the
    same cells in the executed notebooks (execution counts too)."""
    def cells(path):
        return [(c.get("execution_count"), c.get("outputs")) for c in json.loads(path.read_text())["cells"]]

    pairs = (("PAK", "RUS"), ("IND", "RUS"))
    kept = [render(a, b, output=tmp_path / "kept", reuse_kernel=True) for a, b in pairs]
    assert kernel_module.kept_kernel().runs == 2  # the second brief did run in the first one's kernel
    for (a, b), one in zip(pairs, kept):
        new = render(a, b, output=tmp_path / "new")
        for fmt in ("html", "pdf"):
            assert one.files[fmt].read_bytes() == new.files[fmt].read_bytes(), (a, b, fmt)
        assert cells(one.files["ipynb"]) == cells(new.files["ipynb"])


def test_a_kept_kernel_shows_the_next_notebook_no_names_and_count_one(tmp_path, no_kept_kernel):
    render("PAK", "BLR", output=tmp_path, formats=("html",), reuse_kernel=True)
    kept = kernel_module.kept_kernel()
    assert kept is not None and kept.alive
    assert names_seen(tmp_path, km=kept.manager) == names_seen(tmp_path)


def test_a_kernel_is_kept_only_after_a_clean_run_and_for_at_most_REUSE_briefs(monkeypatch, no_kept_kernel):
    monkeypatch.setattr(kernel_module, "REUSE", 2)
    with kernel_for(NOTEBOOK, reuse=True) as first:
        pass
    with kernel_for(NOTEBOOK, reuse=True) as second:
        assert second is first
    assert not first.alive  # its second brief was its last
    with kernel_for(NOTEBOOK, reuse=True) as third:
        assert third is not first
    with pytest.raises(RuntimeError), kernel_for(NOTEBOOK, reuse=True) as fourth:
        assert fourth is third
        raise RuntimeError("a brief failed")
    assert not third.alive
    with kernel_for(NOTEBOOK) as fifth:  # no reuse asked: a new kernel, closed at the end
        assert fifth is not third
    assert not fifth.alive and kernel_module.kept_kernel() is None


def test_the_kernel_sets_what_it_imported_aside_from_the_cycle_collector(tmp_path):
    """pandas, matplotlib and briefkit live as long as the kernel: frozen (gc.freeze) before the
    first brief, so that no collection walks them again, brief after brief."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import gc; print(gc.get_freeze_count())")])
    source, out = tmp_path / "frozen.ipynb", tmp_path / "frozen-run.ipynb"
    nbformat.write(nb, str(source))
    with start_kernel(NOTEBOOK) as kernel:
        papermill.execute_notebook(str(source), str(out), kernel_name="python3", progress_bar=False, km=kernel.manager)
    frozen = int(nbformat.read(str(out), as_version=4).cells[0].outputs[0]["text"])
    assert frozen > 50_000  # the imports of briefkit.brief; a stock kernel freezes none
