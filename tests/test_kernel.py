"""The kernel a brief runs in: briefkit's launcher must change when a brief is ready, never what it says."""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import papermill

from briefkit.execute import NOTEBOOK
from briefkit.kernel import start_kernel


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
    names = "print(sorted(k for k in dir() if not k.startswith('_')))"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(names)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "names.ipynb"
    nbformat.write(nb, str(path))
    seen = {}
    for name, km in (("stock", None), ("briefkit", start_kernel(NOTEBOOK))):
        out = tmp_path / f"{name}.ipynb"
        papermill.execute_notebook(str(path), str(out), kernel_name="python3", progress_bar=False,
                                   km=km.manager if km else None)
        if km:
            km.close()
        seen[name] = nbformat.read(str(out), as_version=4).cells[0].outputs[0]["text"]
    assert seen["briefkit"] == seen["stock"]
