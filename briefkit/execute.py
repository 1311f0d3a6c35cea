"""One brief notebook through papermill → the executed notebook, written even when a cell fails.

The kernel comes from briefkit.kernel: render() starts it first, so that it boots while the data
package is opened and papermill and the exporters are imported (on two cores that hides most of
a second), or a batch worker hands over the one it kept from its last brief. This module
therefore imports nothing heavier than jupyter_client at the top.
"""
from __future__ import annotations

from pathlib import Path

from .errors import NotebookError
from .kernel import Kernel, KernelDied, start_kernel
from .params import Params

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"


def execute(params: Params, output: Path, notebook: Path = NOTEBOOK, kernel: Kernel | None = None,
            timeout: int = 600, finish=None):
    """Run `notebook` with `params` in `kernel`; write and return the executed notebook. The kernel
    is the caller's to close; without one, a new kernel is started and closed here. `finish(nb)`,
    when given, completes the executed notebook (its metadata) before it is written, once.

    If a cell fails, papermill has already saved the notebook with the failing cell marked; the
    NotebookError names that cell and the error.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    _register_engine()
    if kernel is None:
        with start_kernel(notebook) as kernel:
            return execute(params, output, notebook, kernel, timeout, finish)
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=params.as_notebook(), kernel_name="python3",
            progress_bar=False, log_output=False, report_mode=False, execution_timeout=timeout,
            request_save_on_cell_execute=False, cwd=str(Path(notebook).parent), km=kernel.manager,
            engine_name=ENGINE, keep=str(output), finish=finish)
    except (DeadKernelError, KernelDied, CellTimeoutError) as exc:
        # Not a cell's error: the kernel died or hung. The engine saved what had run.
        stage = "starting the kernel" if isinstance(exc, KernelDied) else (
            "running the notebook: a cell ran out of time" if isinstance(exc, CellTimeoutError)
            else "running the notebook: the kernel died")
        cell, where = _failed_cell(output)
        raise NotebookError(f"{params.pair}: failed while {stage}{where} ({type(exc).__name__}); "
                            f"run it again, or check the machine's memory", notebook_path=output,
                            cell_index=cell, ename=type(exc).__name__, evalue=str(exc)) from None
    except PapermillExecutionError as exc:
        kind, first = describe(exc.source or "")
        raise NotebookError(
            f"{Path(notebook).name}: {kind} {exc.exec_count} ({first}) failed: {exc.ename}: {exc.evalue}",
            notebook_path=output, cell_index=exc.cell_index, ename=exc.ename, evalue=exc.evalue) from None


ENGINE = "briefkit"


def describe(source: str) -> tuple[str, str]:
    """("cell", its first line), or ("Markdown cell", its text's first line) for an analyst's Markdown
    cell run as brief.markdown (briefkit.authoring)."""
    from .authoring import markdown_of

    text = markdown_of(source)
    lines = (text if text is not None else source).strip().splitlines()
    return ("cell" if text is None else "Markdown cell"), (lines[0] if lines else "")


def _register_engine() -> None:
    """papermill's nbclient engine, which runs the analyst's Markdown cells as part of the brief
    (briefkit.authoring) and also saves the notebook as far as it ran when the kernel dies or a
    cell times out (papermill saves it for a failing cell, but not for those)."""
    from papermill.engines import NBClientEngine, papermill_engines

    from .authoring import join_markdown

    if ENGINE in papermill_engines._engines:
        return

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, keep=None, finish=None, **kwargs):
            join_markdown(nb_man.nb)
            try:
                executed = super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except Exception as exc:
                if keep:
                    import nbformat

                    ran = [i for i, c in enumerate(nb_man.nb.cells)
                           if c.metadata.get("papermill", {}).get("status") not in (None, "pending")]
                    if ran:  # the cell the kernel was running: marked as papermill marks a failing one
                        nb_man.cell_exception(nb_man.nb.cells[ran[-1]], cell_index=ran[-1], exception=exc)
                    nbformat.write(nb_man.nb, keep)
                raise
            if finish is not None:  # a failed cell too: the saved notebook then says how it was made
                finish(nb_man.nb)
            return executed

    papermill_engines.register(ENGINE, Engine)


def _failed_cell(path: Path) -> tuple[int | None, str]:
    """The index of the cell marked as failed in a saved notebook, and " in cell N (its first line)"."""
    import json

    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None, ""
    for i, cell in enumerate(cells):
        if cell.get("metadata", {}).get("papermill", {}).get("exception"):
            source = "".join(cell.get("source", "")).strip().splitlines()
            first = f" ({source[0]})" if source else ""
            return i, f" in cell {cell.get('execution_count') or i}{first}"
    return None, ""
