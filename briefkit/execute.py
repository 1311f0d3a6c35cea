"""One brief notebook through papermill → the executed notebook, written even when a cell fails.

A brief gets a fresh kernel of its own, never reused. It is started first, with `start_kernel()`,
so that it boots and imports briefkit.brief (the notebook's first line) while the caller opens the
data package and imports papermill and the exporters: on two cores that hides most of a second.
This module therefore imports nothing heavier than jupyter_client at the top.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from .errors import NotebookError
from .params import Params

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"
# Run by the kernel before it reports ready, outside the notebook's history and namespace.
PRELOAD = "import briefkit.brief; del briefkit"


class KernelClient(AsyncKernelClient):
    """jupyter_client's client, ready 0.2 s sooner.

    Its wait_for_ready() ends by waiting until IOPub has been quiet for 0.2 s, to drop messages
    sent before any cell ran. nbclient ignores those anyway (it keeps only messages answering the
    cell it runs), so here IOPub is only drained of what has already arrived.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected too
                    break
            except Empty:
                pass
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        self._handle_kernel_info_reply(reply)
        while await self.iopub_channel.msg_ready():
            await self.iopub_channel.get_msg()


class KernelManager(AsyncKernelManager):
    """Makes KernelClients, and remembers them so that their sockets are closed with the kernel."""

    def __init__(self, **kwargs):
        super().__init__(client_class="briefkit.execute.KernelClient", **kwargs)
        self.clients = []

    def client(self, **kwargs):
        made = super().client(**kwargs)
        self.clients.append(made)
        return made


class Kernel:
    """A fresh IPython kernel over Unix sockets in a private folder.

    No TCP ports: parallel briefs cannot race for a port, and nothing listens on the network.
    Use as a context manager, or call close(); closing twice is harmless.
    """

    def __init__(self, cwd: Path, preload: bool = True):
        self.sockets = tempfile.mkdtemp(prefix="briefkit-kernel-")
        self.manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(self.sockets) / "kernel"))
        # the history file papermill's client would ask for: none on disk
        arguments = ["--HistoryManager.hist_file=:memory:"]
        if preload:
            arguments.append(f"--IPKernelApp.exec_lines={PRELOAD}")
        try:
            run_sync(self.manager.start_kernel)(cwd=str(cwd), extra_arguments=arguments)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        while self.manager.clients:
            self.manager.clients.pop().stop_channels()
        if self.manager.has_kernel:
            # Every output is in by then: no need to wait ~0.35 s for a clean exit. Killing and
            # reaping the process first spares shutdown_kernel its 0.1 s polls for the exit.
            process = getattr(self.manager.provisioner, "process", None)
            if process is not None:
                process.kill()
                process.wait()
            run_sync(self.manager.shutdown_kernel)(now=True)
        shutil.rmtree(self.sockets, ignore_errors=True)

    def __enter__(self) -> "Kernel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_kernel(notebook: Path = NOTEBOOK, preload: bool = True) -> Kernel:
    """Start the kernel that will run `notebook`, in the notebook's folder; it boots in the background."""
    return Kernel(Path(notebook).parent, preload)


def execute(params: Params, output: Path, notebook: Path = NOTEBOOK, kernel: Kernel | None = None,
            timeout: int = 600):
    """Run `notebook` with `params` in `kernel` (default: a new one); write and return the executed
    notebook. The kernel is closed when this returns.

    If a cell fails, papermill has already saved the notebook with the failing cell marked; the
    NotebookError names that cell and the error.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with kernel or start_kernel(notebook) as running:
        try:
            return papermill.execute_notebook(
                str(notebook), str(output), parameters=params.as_notebook(), kernel_name="python3",
                progress_bar=False, log_output=False, report_mode=False, execution_timeout=timeout,
                request_save_on_cell_execute=False,
                cwd=str(Path(notebook).parent), km=running.manager)
        except PapermillExecutionError as exc:
            source = (exc.source or "").strip().splitlines()
            first = source[0] if source else ""
            raise NotebookError(
                f"{Path(notebook).name}: cell {exc.exec_count} ({first}) failed: {exc.ename}: {exc.evalue}",
                notebook_path=output, cell_index=exc.cell_index, ename=exc.ename, evalue=exc.evalue) from None
