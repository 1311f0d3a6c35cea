"""run_batch: plan → render what is stale on a runner → record each brief as it ends.

One batch at a time per output folder (a lock); a failing brief never stops the others; the
manifest is replaced whole as the batch goes, so a run killed at any moment leaves a valid one and
the next run redoes only what failed, changed or never finished. Ctrl-C stops the workers and
their kernels, records the manifest and raises KeyboardInterrupt for the command line to report.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import BriefkitError, OutputError, UsageError
from .index import index_html
from .jobs import Job
from .keys import NOTEBOOK, Code, key_of
from .manifest import CACHED, FAILED, Entry, Manifest, Recorder, write_atomically
from .plan import Plan, make_plan
from .progress import RENDERING, Progress
from .runners import DaskCluster, LocalWorkers
from .worker import Result, Task

FORMATS = ("html", "pdf", "docx")
LOCK = ".briefkit-batch.lock"
Runner = Callable[[list[Task]], Iterator[tuple[Task, Result]]]


def plan_batch(jobs: Iterable[Job], output: str | os.PathLike = "build", formats=FORMATS, force: bool = False,
               data: str | os.PathLike | None = None, notebook: str | os.PathLike = NOTEBOOK,
               code: Code | None = None) -> Plan:
    """What run_batch would do, and why; nothing is written (--dry-run)."""
    code = code or Code(notebook=Path(notebook).resolve())
    return make_plan(jobs, Path(output).resolve(), check_formats(formats), data, force, code)


def run_batch(jobs: Iterable[Job], output: str | os.PathLike = "build", workers: int | None = None,
              scheduler: str | None = None, force: bool = False, formats=FORMATS,
              data: str | os.PathLike | None = None, progress: Callable[[Progress], None] | None = None,
              notebook: str | os.PathLike = NOTEBOOK, *, runner: Runner | None = None,
              code: Code | None = None) -> Manifest:
    """Render every job's brief into output/A-B/, skipping those whose outputs are up to date.

    workers: local worker processes (default: the number of cores); scheduler: the address of a
    Dask distributed scheduler instead (its workers must see the same files). runner replaces both
    (a callable from tasks to (task, result) pairs); code: the notebook, templates and code the
    cache keys digest. Never raises for a failing brief: each failure is in the manifest, with its cause.
    """
    started = time.time()
    output = Path(output).resolve()
    code = code or Code(notebook=Path(notebook).resolve())
    formats = check_formats(formats)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1 (got {workers})")
    report = progress or (lambda p: None)
    with _locked(output):
        # 1. plan, in this process: parameters checked, cache keys compared; nothing is rendered yet
        plan = make_plan(jobs, output, formats, data, force, code, started)
        entries, pairs, tasks = plan.entries, plan.pairs, list(plan.tasks)
        count = None if scheduler else min(workers or os.cpu_count() or 1, max(len(tasks), 1))
        run = {"pairs": list(pairs), "formats": list(formats), "force": force, "scheduler": scheduler,
               "workers": count, "started": _utc(started), "finished": None}
        record = Recorder(output, pairs, run, index_html)
        if tasks:  # what is about to render is recorded as not finished, in case the batch is killed
            record(entries, now=True)
        done = len(pairs) - len(tasks)
        failed = list(plan.failed)
        if done > len(failed):
            report(Progress(done, len(pairs), None, CACHED, failed=len(failed),
                            message=f"{done - len(failed)} up to date ({CACHED})"))
        for p in failed:
            report(Progress(done, len(pairs), p, FAILED, message=entries[p].error["message"], failed=len(failed)))
        if tasks:
            where = f"on {scheduler}" if scheduler else f"in {count} worker process(es)"
            why = "; ".join(f"{n} {reason}" for reason, n in plan.summary())
            report(Progress(done, len(pairs), None, RENDERING, failed=len(failed),
                            message=f"rendering {len(tasks)} brief(s) {where}: {why}"))

        # 2. render what is stale, in worker processes or on the cluster; record each brief as it ends
        runner = runner or (DaskCluster(scheduler) if scheduler else LocalWorkers(count))
        try:
            for task, result in runner(tasks):
                entry = finish(entries[task.pair], result, plan.indexes[task.pair])
                entries[task.pair] = entry
                done += 1
                if entry.status == FAILED:
                    failed.append(task.pair)
                record(entries)
                write_log(output, task.pair, entry)
                report(Progress(done, len(pairs), task.pair, entry.status, entry.seconds.get("worker"),
                                (entry.error or {}).get("message"), len(failed), entry.reason, bool(entry.empty)))
        except KeyboardInterrupt:
            record(entries, now=True, interrupted=_utc(time.time()))
            raise
        # 3. the final record
        return record(entries, now=True, finished=_utc(time.time()))


def finish(entry: Entry, result: Result, index) -> Entry:
    """The manifest entry of a brief once its worker returned: with the sources it cites in its key."""
    fields = {k: getattr(result, k) for k in ("status", "outputs", "files", "seconds", "error", "commit",
                                              "rendered_at", "title")}
    if result.cites is not None:
        inputs = entry.inputs | {"sources": index.cited(result.cites)}
        fields |= {"cites": list(result.cites), "inputs": inputs, "cache_key": key_of(inputs, index)}
    return replace(entry, **fields)


def write_log(output: Path, pair: str, entry: Entry) -> None:
    """OUT/A-B/A-B.log: why the brief was rendered, how it went, how long each stage took."""
    folder = output / pair
    if not folder.is_dir():
        return
    lines = [f"{pair}: {entry.status} at {_utc(time.time())}", f"reason: {entry.reason}",
             "seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in entry.seconds.items())]
    lines += [f"{fmt}: {path}" for fmt, path in entry.outputs.items()]
    if entry.empty:
        lines.append("note: the package has no row naming both countries")
    if entry.error:
        err = entry.error
        lines.append(f"error ({err.get('stage')}): {err.get('message')}")
        if err.get("cell") is not None:
            lines.append(f"failing cell {err['cell']} of {err.get('notebook')}: {err.get('source')}")
    try:
        write_atomically(folder / f"{pair}.log", "\n".join(lines) + "\n")
    except OSError:
        pass  # the manifest has it all; a log that cannot be written is no reason to stop


def check_formats(formats) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f'Unknown format "{unknown[0] if unknown else ""}"; briefkit writes: {", ".join(FORMATS)}')
    return formats


@contextmanager
def _locked(output: Path):
    """One batch at a time per output folder: two would race for the same files and manifest."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle = open(output / LOCK, "w")
    except OSError as exc:
        raise OutputError(f"Cannot write to {output} ({exc.strerror}): choose another folder with --output, "
                          f"or make this one writable") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BriefkitError(f"Another briefkit batch is writing to {output}: wait for it to finish, "
                                f"or choose another folder with --output") from None
        yield


def _utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
