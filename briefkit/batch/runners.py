"""Where briefs render: local worker processes, or a Dask distributed cluster.

A runner is called with the batch's tasks and yields (task, result) as each brief ends:

    for task, result in LocalWorkers(2)(tasks): ...
    for task, result in DaskCluster("tcp://host:8786")(tasks): ...

Both take the function that renders one task (worker.render_task by default): a test may give
another, which is how the tests make a worker die, with nothing for tests in this module.
"""
from __future__ import annotations

import gc
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Callable, Iterator

from ..errors import BriefkitError
from .worker import Result, Task, render_task

Render = Callable[[Task], Result]
# The longest temporary folder a worker's kernel sockets fit under ("/briefkit-kernel-XXXXXXXX/kernel-4"
# after it, 107 bytes in all); under a longer $TMPDIR, workers keep the system's.
SOCKET_ROOM = 107 - len("/briefkit-kernel-xxxxxxxx/kernel-10")


class LocalWorkers:
    """`workers` processes on this machine, each given one brief at a time.

    Each worker is a one-process pool of its own: a worker that dies takes only its own brief with
    it (the others keep running), and is replaced by a new one. Workers stay alive from brief to
    brief, so the render chain is imported once per worker, and each keeps its kernel from brief to
    brief, reset in between (briefkit.kernel). Workers ignore Ctrl-C: the batch process stops them,
    and their kernels, itself. Everything they put in the temporary folder (kernel sockets) goes
    in one folder of the batch's own, removed at the end however the batch ends.
    """

    def __init__(self, workers: int, render: Render = render_task):
        self.workers, self.render = workers, render

    def __call__(self, tasks: list[Task]) -> Iterator[tuple[Task, Result]]:
        if not tasks:
            return
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # never fork: the parent may hold threads
        lifeline, alive = context.Pipe(duplex=False)
        scratch = tempfile.mkdtemp(prefix="bk-")  # short: a kernel's Unix socket path has at most 107 bytes
        slots: list[ProcessPoolExecutor | None] = [None] * self.workers
        workers: list[list] = [[] for _ in range(self.workers)]  # each slot's worker processes, held here:
        # a broken pool may forget its processes before we ask how they ended
        queue = deque(tasks)
        running: dict = {}  # future → (slot, task)
        ctrl_c = _CtrlC()
        try:
            ctrl_c.__enter__()
            while queue or running:
                for i in range(self.workers):
                    if queue and i not in {slot for slot, _ in running.values()}:
                        if slots[i] is None:
                            slots[i] = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start,
                                                           initargs=(lifeline, scratch))
                        task = queue.popleft()
                        with ctrl_c.held():  # a worker starting now is born deaf to Ctrl-C
                            running[slots[i].submit(self.render, task)] = (i, task)
                        workers[i] = _processes(slots[i]) or workers[i]
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    i, task = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool as exc:
                        result = Result.died(exc, _exit_detail(workers[i]))
                        slots[i].shutdown(wait=True)
                        slots[i] = None
                    except Exception as exc:  # the task or its result could not cross to the worker and back
                        result = replace(Result.died(exc), error=Result.died(exc).error | {
                            "message": f"{type(exc).__name__}: {exc}"})
                    yield task, result
        except BaseException:  # Ctrl-C, or the caller stopped: stop the workers now, not after their briefs
            for executor in slots:
                for process in _processes(executor):
                    process.terminate()
            raise
        finally:
            ctrl_c.__exit__()
            for executor in slots:
                if executor is not None:
                    executor.shutdown(wait=True, cancel_futures=True)
            # Let the pools' queues go now, and their semaphores with them: the command line leaves
            # with os._exit, and semaphores still held then make the resource tracker complain.
            slots.clear()
            running.clear()
            gc.collect()
            alive.close()
            lifeline.close()
            shutil.rmtree(scratch, ignore_errors=True)


class _CtrlC:
    """Ctrl-C in the batch process, held back while a worker is being started.

    While a worker starts, SIGINT is blocked in this thread, so the worker is born with it
    blocked (it ignores it once started: no KeyboardInterrupt in its imports), and a Ctrl-C meanwhile
    is raised only once the start is complete: cut short, the new process would find its pipe
    closed and print a traceback. Outside the main thread (no signal handlers there) it does nothing.
    """

    def __init__(self):
        self.holding = self.pending = False
        self.before = None

    def __enter__(self) -> "_CtrlC":
        if threading.current_thread() is threading.main_thread():
            self.before = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        if self.before is not None:
            signal.signal(signal.SIGINT, self.before)

    def _handle(self, signum, frame) -> None:
        if self.holding:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextmanager
    def held(self):
        if self.before is None or not hasattr(signal, "pthread_sigmask"):
            yield
            return
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            if self.pending:
                self.pending = False
                raise KeyboardInterrupt


def _start(lifeline, scratch: str) -> None:
    """A worker's first steps: ignore Ctrl-C (the batch process handles it), keep its temporary
    files in the batch's folder, and exit as soon as the batch process is gone.

    `lifeline` is the read end of a pipe whose only write end the batch process holds: reading it
    ends (EOFError) exactly when that process exits, however it exits. (A pool's workers hold their
    task queue open themselves, so they would never see it close.)
    """
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked at birth; now ignored
    signal.signal(signal.SIGTERM, _stop)
    if len(scratch) <= SOCKET_ROOM:
        os.environ["TMPDIR"] = tempfile.tempdir = scratch

    def watch():
        try:
            lifeline.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="briefkit-exit-with-parent", daemon=True).start()


def _stop(signum, frame) -> None:
    """SIGTERM in a worker (the batch stops): end its kernels at once, then itself. Kernels run in
    sessions of their own, so Ctrl-C does not reach them; left alone, each would notice in a second
    that its worker is gone and say so on the terminal."""
    for pid in _children():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(128 + signum)


def _children() -> list[int]:
    """This process's child processes (Linux: /proc/self/task/*/children; elsewhere none known)."""
    pids = []
    try:
        for task in os.scandir("/proc/self/task"):
            with open(os.path.join(task.path, "children")) as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return pids


def _processes(executor: ProcessPoolExecutor | None) -> list:
    return list((getattr(executor, "_processes", None) or {}).values())  # private, so: when it can


def _exit_detail(processes: list) -> str:
    """' (exit code 70)' or ' (killed by SIGKILL)' for the dead worker."""
    deadline = time.monotonic() + 2
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    # The pool's own thread may reap the process between our wait and our look: the exit code then
    # appears on the shared process object a moment later.
    while any(p.exitcode is None for p in processes) and time.monotonic() < deadline:
        time.sleep(0.01)
    codes = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
    if not codes:
        return ""
    code = codes[0]
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f" (killed by {name}{', out of memory?' if name == 'SIGKILL' else ''})"
    return f" (exit code {code})"


class DaskCluster:
    """The same tasks on a Dask distributed cluster; its workers must see the same files (the
    project, the data package and the output folder, at the same paths)."""

    def __init__(self, scheduler: str, render: Render = render_task):
        self.scheduler, self.render = scheduler, render

    def __call__(self, tasks: list[Task]) -> Iterator[tuple[Task, Result]]:
        if not tasks:
            return
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise BriefkitError("--scheduler needs Dask: pip install 'briefkit[dask]'") from None
        try:
            client = Client(self.scheduler, set_as_default=False, timeout=30)
        except (OSError, TimeoutError) as exc:
            raise BriefkitError(f"Cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
        with client:
            futures = {client.submit(self.render, task, key=f"briefkit-{task.pair}-{os.getpid()}-{i}", pure=False): task
                       for i, task in enumerate(tasks)}
            try:
                for future in as_completed(futures, loop=client.loop):
                    task = futures[future]
                    try:
                        result = future.result()
                    except Exception as exc:  # KilledWorker and the like: the brief never finished
                        result = Result.died(exc)
                    yield task, result
            except BaseException:
                client.cancel(list(futures))
                raise
            finally:
                _end_kept_kernels(client)


def _end_kept_kernels(client) -> None:
    """The kernels the workers' threads kept for their next brief end with the batch: the workers
    outlive it, and an idle kernel holds a few hundred MB."""
    from ..kernel import close_kept

    try:
        client.run(close_kept)
    except Exception:  # a worker gone meanwhile has no kernels left to end
        pass
