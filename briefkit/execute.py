"""One brief notebook through papermill → the executed notebook, written even when a cell fails."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import papermill
from jupyter_client.manager import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError

from .errors import NotebookError
from .params import Params

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"


def execute(params: Params, output: Path, notebook: Path = NOTEBOOK, timeout: int = 600):
    """Run `notebook` with `params` in a fresh kernel; write and return the executed notebook.

    If a cell fails, papermill has already saved the notebook with the failing cell marked; the
    NotebookError names that cell and the error.
    """
    sockets = tempfile.mkdtemp(prefix="briefkit-kernel-")
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=params.as_notebook(), kernel_name="python3",
            progress_bar=False, log_output=False, report_mode=False, execution_timeout=timeout,
            cwd=str(Path(notebook).parent), kernel_manager_class=_ipc_manager(sockets),
            shutdown_kernel="immediate")  # every output is in by then: no need to wait ~0.35 s for a clean exit
    except PapermillExecutionError as exc:
        source = (exc.source or "").strip().splitlines()
        first = source[0] if source else ""
        raise NotebookError(
            f"{Path(notebook).name}: cell {exc.exec_count} ({first}) failed: {exc.ename}: {exc.evalue}",
            notebook_path=output, cell_index=exc.cell_index, ename=exc.ename, evalue=exc.evalue) from None
    finally:
        shutil.rmtree(sockets, ignore_errors=True)


def _ipc_manager(folder: str) -> type:
    """A kernel manager talking to its kernel over Unix sockets in a private folder.

    No TCP ports: parallel briefs cannot race for a port, and nothing listens on the network.
    """
    return type("BriefKernelManager", (AsyncKernelManager,),
                {"transport": "ipc", "ip": str(Path(folder) / "kernel")})

