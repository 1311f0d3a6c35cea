"""The kernel a brief runs in: IPython's, started early and quickly.

    with start_kernel(notebook) as kernel:   # boots while the caller opens the data, imports papermill
        papermill.execute_notebook(..., km=kernel.manager)

The kernel process is `python -m briefkit.kernel`: ipykernel's own kernel app, launched with
briefkit.brief (the notebook's first import) already imported. Its sockets are Unix sockets in a
private folder: no TCP ports, so parallel briefs cannot race for a port and nothing listens on the
network.

A batch worker may keep its kernel for its next brief (kernel_for(notebook, reuse=True)):
the kernel is reset between briefs (no names left, execution count back to 1), so a notebook finds
it as it would find a new one, minus the second it takes to start one and import pandas,
matplotlib and briefkit. A kernel whose brief failed is never kept; none runs more than REUSE briefs.
"""
from __future__ import annotations

import atexit
import gc
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from queue import Empty
from typing import Iterator

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

REUSE = 100  # briefs one kept kernel runs at most, so that a long batch accumulates nothing for long
# What a notebook left is cleared; modules stay imported. Run silently: the count stays at 1. Then
# what it left in reference cycles (matplotlib's figures) is freed, and the freed pages go back to
# the system (glibc keeps them otherwise), binding no name: the kernel's size stays near its first
# brief's instead of its largest's.
RESET = """get_ipython().reset(new_session=True)
__import__("gc").collect()
try:
    __import__("ctypes").CDLL(None).malloc_trim(0)
except (OSError, AttributeError):
    pass
"""


class KernelDied(RuntimeError):
    """The kernel process ended before it answered."""


class KernelSpecs(KernelSpecManager):
    """Knows one kernel, briefkit's, and finds it without searching the Jupyter folders."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(argv=[sys.executable, "-m", "briefkit.kernel", "-f", "{connection_file}"],
                          display_name="Python 3 (briefkit)", language="python")


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
                raise KernelDied("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        self._handle_kernel_info_reply(reply)
        while await self.iopub_channel.msg_ready():
            await self.iopub_channel.get_msg()


class KernelManager(AsyncKernelManager):
    """Makes KernelClients, and remembers them so that their sockets are closed with the kernel."""

    def __init__(self, **kwargs):
        super().__init__(client_class="briefkit.kernel.KernelClient", kernel_spec_manager=KernelSpecs(), **kwargs)
        self.clients = []

    def client(self, **kwargs):
        made = super().client(**kwargs)
        self.clients.append(made)
        return made


class Kernel:
    """A new kernel, started in `cwd`. Use as a context manager, or call close(); closing twice
    is harmless."""

    def __init__(self, cwd: Path):
        self.cwd = Path(cwd)
        self.runs = 0  # briefs run in it
        self.sockets = tempfile.mkdtemp(prefix="briefkit-kernel-")
        self.manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(self.sockets) / "kernel"))
        try:
            # the history file papermill's client would ask for: none on disk
            run_sync(self.manager.start_kernel)(cwd=str(cwd), extra_arguments=["--HistoryManager.hist_file=:memory:"])
        except BaseException:
            self.close()
            raise

    @property
    def alive(self) -> bool:
        process = getattr(self.manager.provisioner, "process", None)
        return process is not None and process.poll() is None

    def reset(self, timeout: float = 10) -> None:
        """Clear what the last notebook left in the kernel, as RESET says. A dead kernel is noticed
        at once (KernelDied), not after the timeout: its process is watched while the reset runs."""
        if not self.alive:
            raise KernelDied("The kept kernel has died")
        self.run(RESET, "reset", timeout)

    def run(self, code: str, what: str = "prepared", timeout: float = 60) -> None:
        """Run `code` silently (the execution count is untouched); raise if it fails, and
        KernelDied at once if the kernel's process ends meanwhile."""
        client = self.manager.client()
        client.start_channels()
        try:
            reply = run_sync(self._run)(client, code, timeout)
        finally:
            client.stop_channels()
            self.manager.clients.remove(client)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"The kernel could not be {what}: {reply['content'].get('evalue')}")

    async def _run(self, client, code: str, timeout: float) -> dict:
        import asyncio

        async def run():
            await client.wait_for_ready(timeout=timeout)
            return await client.execute_interactive(code, silent=True, store_history=False, timeout=timeout)

        task = asyncio.ensure_future(run())
        while not task.done():
            await asyncio.wait({task}, timeout=0.05)
            if not task.done() and not self.alive:
                task.cancel()
                raise KernelDied("The kept kernel died while it ran briefkit's own code")
        return task.result()

    def disconnect(self) -> None:
        """Close the sockets of every client connected to the kernel so far."""
        while self.manager.clients:
            self.manager.clients.pop().stop_channels()

    def close(self) -> None:
        self.disconnect()
        if self.manager.has_kernel:
            # Every output is in by then: no need to wait ~0.35 s for a clean exit. Killing and
            # reaping the process first spares shutdown_kernel its 0.1 s polls for the exit.
            self._kill()
            run_sync(self.manager.shutdown_kernel)(now=True)
        shutil.rmtree(self.sockets, ignore_errors=True)

    def end(self) -> None:
        """End the kernel from any thread (close() runs the manager's coroutines, which belong to
        the thread that started it): its process killed and reaped, its sockets removed."""
        self._kill()
        shutil.rmtree(self.sockets, ignore_errors=True)

    def _kill(self) -> None:
        process = getattr(self.manager.provisioner, "process", None)
        if process is not None:
            process.kill()
            process.wait()

    def __enter__(self) -> "Kernel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_kernel(notebook: Path) -> Kernel:
    """Start the kernel that will run `notebook`, in the notebook's folder; it boots in the background."""
    return Kernel(Path(notebook).parent)


_kept: dict[int, Kernel] = {}  # the kernel each thread kept from its last brief (Dask runs tasks in threads)
_kept_lock = threading.Lock()


@atexit.register
def close_kept() -> None:
    """End every kernel kept by any thread of this process (a worker leaving, or a batch on a Dask
    cluster done: its workers stay, their idle kernels go). A thread that kept one starts a new
    kernel for its next brief."""
    with _kept_lock:
        kernels = list(_kept.values())
        _kept.clear()
    for kernel in kernels:
        kernel.end()


def kept_kernel() -> Kernel | None:
    """The kernel this thread kept from its last brief, if any (briefkit preview prepares it)."""
    with _kept_lock:
        return _kept.get(threading.get_ident())


@contextmanager
def kernel_for(notebook: Path, reuse: bool = False) -> Iterator[Kernel]:
    """A kernel for one brief. Without `reuse`, a new one, closed at the end. With it, the kernel
    this thread kept from its last brief, if any (alive, same folder), reset; at the end it is kept
    again, unless the brief raised or the kernel has run REUSE briefs."""
    with _kept_lock:
        kernel = _kept.pop(threading.get_ident(), None)
    if kernel is not None and not (reuse and kernel.cwd == Path(notebook).parent and kernel.alive):
        kernel.close()
        kernel = None
    kernel = kernel or start_kernel(notebook)
    try:
        yield kernel
    except BaseException:
        kernel.close()
        raise
    kernel.runs += 1
    kernel.disconnect()
    if reuse and kernel.runs < REUSE and kernel.alive:
        try:
            kernel.reset()
        except Exception:  # a kernel that cannot be reset is not worth keeping
            kernel.close()
        else:
            with _kept_lock:
                _kept[threading.get_ident()] = kernel
            return
    kernel.close()


def launch() -> None:
    """The kernel process (argv as for ipykernel_launcher)."""
    import briefkit.brief  # the notebook's first import, done before the kernel reports ready

    briefkit.brief.prepare()  # and the wording and HTML templates compiled, while the parent imports
    from ipykernel.kernelapp import launch_new_instance

    # What is imported now stays for the kernel's life: set aside from the cycle collector, so that
    # the collection of each reset, and those Python runs during a brief, do not walk it again.
    gc.collect()
    gc.freeze()

    launch_new_instance()


if __name__ == "__main__":
    launch()
