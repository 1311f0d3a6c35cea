"""One brief notebook through papermill → the executed notebook, written even when a cell fails.

The kernel comes from briefkit.kernel: render() starts it first, so that it boots while the data
package is opened and papermill and the exporters are imported (on two cores that hides most of
a second), or a batch worker hands over the one it kept from its last brief. This module
therefore imports nothing heavier than jupyter_client at the top.
"""
from __future__ import annotations

from pathlib import Path

from .errors import NotebookError
from .kernel import Kernel, start_kernel
from .params import Params

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"


def execute(params: Params, output: Path, notebook: Path = NOTEBOOK, kernel: Kernel | None = None,
            timeout: int = 600):
    """Run `notebook` with `params` in `kernel`; write and return the executed notebook. The kernel
    is the caller's to close; without one, a new kernel is started and closed here.

    If a cell fails, papermill has already saved the notebook with the failing cell marked; the
    NotebookError names that cell and the error.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    if kernel is None:
        with start_kernel(notebook) as kernel:
            return execute(params, output, notebook, kernel, timeout)
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=params.as_notebook(), kernel_name="python3",
            progress_bar=False, log_output=False, report_mode=False, execution_timeout=timeout,
            request_save_on_cell_execute=False, cwd=str(Path(notebook).parent), km=kernel.manager)
    except PapermillExecutionError as exc:
        source = (exc.source or "").strip().splitlines()
        first = source[0] if source else ""
        raise NotebookError(
            f"{Path(notebook).name}: cell {exc.exec_count} ({first}) failed: {exc.ename}: {exc.evalue}",
            notebook_path=output, cell_index=exc.cell_index, ename=exc.ename, evalue=exc.evalue) from None
