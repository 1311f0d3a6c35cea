"""Where briefs render: local worker processes, or a Dask distributed cluster.

A runner is called with the batch's tasks and yields (task, result) as each brief ends:

    for task, result in LocalWorkers(2)(tasks): ...
    for task, result in DaskCluster("tcp://host:8786")(tasks): ...

Both take the function that renders one task (worker.render_task by default): a test may give
another, which is how the tests make a worker die, with nothing for tests in this module.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Callable, Iterator

from ..errors import BriefkitError
from .worker import Result, Task, render_task

Render = Callable[[Task], Result]


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
        scratch = tempfile.mkdtemp(prefix="briefkit-batch-")
        slots: list[ProcessPoolExecutor | None] = [None] * self.workers
        queue = deque(tasks)
        running: dict = {}  # future → (slot, task)
        try:
            while queue or running:
                for i in range(self.workers):
                    if queue and i not in {slot for slot, _ in running.values()}:
                        if slots[i] is None:
                            slots[i] = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start,
                                                           initargs=(lifeline, scratch))
                        task = queue.popleft()
                        running[slots[i].submit(self.render, task)] = (i, task)
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    i, task = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool as exc:
                        result = Result.died(exc, _exit_detail(slots[i]))
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
            for executor in slots:
                if executor is not None:
                    executor.shutdown(wait=True, cancel_futures=True)
            alive.close()
            lifeline.close()
            shutil.rmtree(scratch, ignore_errors=True)


def _start(lifeline, scratch: str) -> None:
    """A worker's first steps: ignore Ctrl-C (the batch process handles it), keep its temporary
    files in the batch's folder, and exit as soon as the batch process is gone.

    `lifeline` is the read end of a pipe whose only write end the batch process holds: reading it
    ends (EOFError) exactly when that process exits, however it exits. (A pool's workers hold their
    task queue open themselves, so they would never see it close.)
    """
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    mine = tempfile.mkdtemp(prefix=f"worker-{os.getpid()}-", dir=scratch)
    os.environ["TMPDIR"] = tempfile.tempdir = mine

    def watch():
        try:
            lifeline.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="briefkit-exit-with-parent", daemon=True).start()


def _processes(executor: ProcessPoolExecutor | None) -> list:
    return list((getattr(executor, "_processes", None) or {}).values())  # private, so: when it can


def _exit_detail(executor: ProcessPoolExecutor | None) -> str:
    """' (exit code 70)' or ' (killed by SIGKILL)' for the dead worker, when the pool still knows it."""
    processes = _processes(executor)
    for process in processes:
        process.join(timeout=2)
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
