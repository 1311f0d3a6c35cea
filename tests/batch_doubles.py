"""Stand-ins injected into briefkit.batch by the tests (never imported by briefkit itself).

render_or_exit: the real renderer, except that the worker exits at once for the named pairs, as a
crashing worker would. write_stub_outputs: a runner that writes small files where briefs would be
and returns what a worker returns, to test planning and the manifest without a kernel.
"""
from __future__ import annotations

import hashlib
import os
from functools import partial
from pathlib import Path

from briefkit.batch import OK, Result, render_task


def render_or_exit(pairs: frozenset, task):
    if task.pair in pairs:
        os._exit(70)
    return render_task(task)


def exiting_on(*pairs: str):
    return partial(render_or_exit, frozenset(pairs))


def write_stub_outputs(tasks, cites=("imf-dots",), sent=None):
    """Runner: for each task, OUT/A-B/A-B.<fmt> holding a line of text; yields (task, Result)."""
    for task in tasks:
        if sent is not None:
            sent.append(task.pair)
        folder = Path(task.output) / task.pair
        folder.mkdir(parents=True, exist_ok=True)
        outputs, files = {}, {}
        for fmt in (*task.formats, "ipynb"):
            path = folder / f"{task.pair}.{fmt}"
            path.write_text(f"stub {fmt} of {task.pair}\n", encoding="utf-8")
            data = path.read_bytes()
            outputs[fmt] = f"{task.pair}/{path.name}"
            files[fmt] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        yield task, Result(OK, outputs, files, {"total": 0.01, "worker": 0.01}, title=f"Stub {task.pair}",
                           cites=list(cites))


def recording(sent: list):
    """Runner that renders nothing and records which briefs it was given."""
    def runner(tasks):
        sent.extend(t.pair for t in tasks)
        return iter(())
    return runner
